import { EXITS_NOT_FIXED_BY_A_RESTART, runnerCodes } from '../../shared/errors/runner-codes.ts';
import type { RunStatus } from '../vocabulary/words.ts';
import { RUN_STATUS_FACTS } from '../vocabulary/run-status.ts';

/** Why the supervisor stopped a run itself; the first reason set wins. `protocol`: the runner broke the channel's rules. */
export type TerminationReason = 'memory' | 'timeout' | 'shutdown' | 'protocol';

export interface ExitFacts {
  readonly reason: TerminationReason | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly spawnError: boolean;
}

// Pure: the status a finished run is recorded with.
export function runStatus(facts: ExitFacts): Exclude<RunStatus, 'running' | 'skipped' | 'orphaned'> {
  if (facts.reason === 'memory') return 'killed';
  if (facts.reason === 'timeout') return 'timeout';
  if (facts.reason === 'shutdown') return 'interrupted';
  // Whatever its exit code, a runner that broke the channel's rules did not give a run we can trust.
  if (facts.reason === 'protocol') return 'failed';
  if (!facts.spawnError && facts.exitCode === 0 && facts.signal === null) return 'ok';
  return 'failed';
}

/** A restart makes sense after a kill or a failure, never after success or a shutdown (see the run-status table). */
export function shouldRestart(status: RunStatus): boolean {
  return RUN_STATUS_FACTS[status].restarts;
}

/**
 * The bundled runner failed with an exit that names something a person must fix (a REDCap 401/403/400/404, bad
 * credentials, a bad Pylantir config, a redirect): a restart in the same tick would only ask REDCap again with the
 * same token. Returns the runner's code name, or undefined when a restart may help (or the runner is not ours).
 */
export function restartCannotHelp(status: RunStatus, exitCode: number | null, bundledRunner: boolean): string | undefined {
  if (!bundledRunner || status !== 'failed' || exitCode === null || !EXITS_NOT_FIXED_BY_A_RESTART.has(exitCode)) return undefined;
  return Object.values(runnerCodes).find((entry) => entry.exitCode === exitCode)?.code;
}
