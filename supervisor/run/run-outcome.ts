import { EXITS_NOT_FIXED_BY_A_RESTART, runnerCodes } from '../../shared/errors/runner-codes.ts';
import type { RunStatus } from '../vocabulary/words.ts';
import { RUN_STATUS_FACTS } from '../vocabulary/run-status.ts';
import { TERMINATION_STATUS, type TerminationReason } from '../vocabulary/termination.ts';

export interface ExitFacts {
  readonly reason: TerminationReason | undefined;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly spawnError: boolean;
}

// Pure: the status a finished run is recorded with.
export function runStatus(facts: ExitFacts): Exclude<RunStatus, 'running' | 'skipped' | 'orphaned'> {
  // A run the supervisor stopped has the status of its reason, whatever its exit code.
  if (facts.reason !== undefined) return TERMINATION_STATUS[facts.reason];
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
