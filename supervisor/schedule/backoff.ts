// Pure: the wait before attempt `attempt` (2 = the first restart), doubling from `backoffMs` up to `backoffMaxMs`.
export function backoffDelay(attempt: number, options: { backoffMs: number; backoffMaxMs: number }): number {
  if (attempt <= 1) return 0;
  return Math.min(options.backoffMaxMs, options.backoffMs * 2 ** (attempt - 2));
}
