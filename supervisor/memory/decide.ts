// Pure: what to do about one memory sample. No timers, no I/O; the caller acts on the verdict and keeps the state.
import { mbToBytes } from '../../shared/units.ts';
import type { RunLimits } from '../vocabulary/run-limits.ts';

/**
 * `tolerate`: at or over the emergency line, but not yet for `sustainMs`; the run goes on (and counts as warned).
 * `terminate`: SIGTERM, then SIGKILL after the grace period. `kill`: over the hard limit, SIGKILL at once.
 */
export type MemoryVerdict = 'ok' | 'warn' | 'tolerate' | 'terminate' | 'kill';

/** The memory lines of a run's limits (vocabulary/run-limits.ts); `sustainMs` 0 means `terminate` at once. */
export type MemoryLimits = Pick<RunLimits, 'warnMb' | 'emergencyMb' | 'hardLimitMb' | 'sustainMs'>;

export interface MemoryDecision {
  readonly verdict: MemoryVerdict;
  /** The line this verdict is about (hardLimitMb for `kill`, emergencyMb for `tolerate`/`terminate`, warnMb for `warn`); null for `ok`. */
  readonly limitMb: number | null;
  /**
   * When the current stretch at or over `emergencyMb` began (the first sample of it); null below the line. The caller
   * passes it back with the next sample: a single sample below the line ends the stretch, so a dip resets the wait.
   */
  readonly overSinceMs: number | null;
}

/**
 * Thresholds are inclusive (reaching the line is crossing it), except the hard limit, which must be exceeded. Above
 * the hard limit the verdict is `kill` whatever the sustain wait; at the emergency line it is `terminate` once the
 * tree has stayed there `sustainMs` (measured between sample times from the injected clock), `tolerate` before that.
 */
export function decide(rssBytes: number, limits: MemoryLimits, overSinceMs: number | null, nowMs: number): MemoryDecision {
  if (rssBytes < mbToBytes(limits.emergencyMb)) {
    if (rssBytes >= mbToBytes(limits.warnMb)) return { verdict: 'warn', limitMb: limits.warnMb, overSinceMs: null };
    return { verdict: 'ok', limitMb: null, overSinceMs: null };
  }
  const since = overSinceMs ?? nowMs;
  if (rssBytes > mbToBytes(limits.hardLimitMb)) return { verdict: 'kill', limitMb: limits.hardLimitMb, overSinceMs: since };
  if (nowMs - since >= limits.sustainMs) return { verdict: 'terminate', limitMb: limits.emergencyMb, overSinceMs: since };
  return { verdict: 'tolerate', limitMb: limits.emergencyMb, overSinceMs: since };
}
