import type { RunStatus } from '../history/schema.ts';
import { RUN_STATUS_FACTS } from './run-status.ts';

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
