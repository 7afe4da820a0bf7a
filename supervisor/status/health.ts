// PURE: the facts /healthz sees → healthy or not, with the reason an operator (or a probe's event log) reads.

export interface HealthFacts {
  readonly nowMs: number;
  /** The supervisor has begun to stop (its signal aborted). */
  readonly stopping: boolean;
  /** A schedule was ever created; false in one-shot mode (`run-once`, `--once`). */
  readonly scheduleStarted: boolean;
  readonly schedulerRunning: boolean;
  readonly nextTickAtMs: number | undefined;
  readonly sampleIntervalMs: number;
  readonly currentRun: { readonly runId: number; readonly startedAtMs: number } | undefined;
  readonly runTimeoutMs: number;
  readonly graceMs: number;
}

export type Health =
  | { readonly ok: true; readonly mode: 'scheduled' | 'one-shot'; readonly nextTickAtMs: number | null }
  | { readonly ok: false; readonly reason: string };

/**
 * How late a planned tick may be before it counts as overdue. Timers drift and node-cron fires on the second,
 * so anything under 30 s is noise; a long sample interval stretches it.
 */
export function overdueGraceMs(sampleIntervalMs: number): number {
  return Math.max(30_000, 2 * sampleIntervalMs);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function judgeHealth(facts: HealthFacts): Health {
  const grace = overdueGraceMs(facts.sampleIntervalMs);
  if (facts.stopping) return { ok: false, reason: 'the supervisor is stopping' };
  const run = facts.currentRun;
  // run.timeoutMs plus the kill's grace bounds any run; a run past that means the kill path itself is stuck.
  if (run && facts.nowMs - run.startedAtMs > facts.runTimeoutMs + facts.graceMs + grace) {
    return { ok: false, reason: `run ${run.runId} stuck: running for ${seconds(facts.nowMs - run.startedAtMs)}, past run.timeoutMs ${seconds(facts.runTimeoutMs)} and the kill grace` };
  }
  // One-shot mode has no schedule to be late: it is healthy while it runs, and run.timeoutMs bounds how long that is.
  if (!facts.scheduleStarted) return { ok: true, mode: 'one-shot', nextTickAtMs: null };
  if (!facts.schedulerRunning) return { ok: false, reason: 'the scheduler is not running' };
  if (facts.nextTickAtMs === undefined) return { ok: false, reason: 'the scheduler has no next tick planned' };
  if (facts.nowMs > facts.nextTickAtMs + grace) {
    return { ok: false, reason: `tick overdue by ${seconds(facts.nowMs - facts.nextTickAtMs)} (planned at ${new Date(facts.nextTickAtMs).toISOString()})` };
  }
  return { ok: true, mode: 'scheduled', nextTickAtMs: facts.nextTickAtMs };
}
