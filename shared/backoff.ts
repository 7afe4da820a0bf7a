/**
 * Pure: the wait before retry number `retry` (1 = the first retry; 0 or less = the first try, no wait), doubling
 * from `baseMs` and capped at `maxMs`. The one formula behind the supervisor's restarts and the runner's HTTP
 * retries; each caller states how its own attempt numbers map onto `retry`.
 */
export function cappedDoubling(retry: number, baseMs: number, maxMs: number): number {
  if (retry < 1 || baseMs <= 0) return 0;
  // 2 ** 1100 is Infinity, and min() takes the cap: no overflow to guard beyond a zero base.
  return Math.min(maxMs, baseMs * 2 ** (retry - 1));
}
