// Upper bounds the schema holds settings to, and the reason each one's error message gives.

/**
 * Node keeps a timer's delay in a signed 32-bit integer: a longer `setTimeout` fires after 1 ms instead (with a
 * TimeoutOverflowWarning), so a too-large `run.timeoutMs` kills every run at once and a too-large
 * `schedule.everyMs` ticks in a tight loop. No `…Ms` setting may exceed it; some have a lower, saner cap.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** 1 TiB. A memory limit above any real machine's RAM can never be reached, so it would switch the guard off. */
export const MAX_MEMORY_MB = 1_048_576;

const REASONS: ReadonlyMap<number, string> = new Map([
  [MAX_TIMER_MS, 'timers cannot wait longer than 2147483647 ms, about 24.8 days'],
  [MAX_MEMORY_MB, '1 TiB; a limit no machine reaches would turn the memory guard off'],
]);

/** Why a setting may not exceed `limit`, for the error line; undefined for limits that speak for themselves. */
export function maximumReason(limit: number): string | undefined {
  return REASONS.get(limit);
}

/**
 * The shortest wait before an alert delivery is tried again. Below a second a failing sink is retried in a tight
 * loop (`backoffMs: 1` kept a core at 100 %), and no receiver that failed recovers that fast anyway.
 */
export const MIN_ALERT_BACKOFF_MS = 1000;

const MINIMUM_REASONS: ReadonlyMap<string, string> = new Map([
  ['alerts.retry.backoffMs', 'a shorter wait retries a failing sink in a tight loop that keeps a core busy'],
  ['alerts.retry.backoffMaxMs', 'a shorter wait retries a failing sink in a tight loop that keeps a core busy'],
]);

/** Why the setting at `key` may not go below its minimum, for the error line; undefined where it speaks for itself. */
export function minimumReason(key: string): string | undefined {
  return MINIMUM_REASONS.get(key);
}
