// Why the supervisor stops a run itself, and the status each stop gives the run: one table, read by the run's outcome
// (run/run-outcome.ts) and the kills metric alike. A reason is a key here or nothing: add one and it has a status.
import type { RunStatus } from './words.ts';

export const TERMINATION_STATUS = {
  memory: 'killed',
  timeout: 'timeout',
  shutdown: 'interrupted',
  // The runner broke the channel's rules: whatever its exit code, it did not give a run we can trust.
  protocol: 'failed',
} as const satisfies Record<string, RunStatus>;

/** Why the supervisor stopped a run itself; the first reason set wins. */
export type TerminationReason = keyof typeof TERMINATION_STATUS;

export const TERMINATION_REASONS = Object.keys(TERMINATION_STATUS) as TerminationReason[];
