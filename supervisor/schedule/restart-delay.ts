import { cappedDoubling } from '../../shared/backoff.ts';

// Pure: the wait before attempt `attempt` of a tick (attempt 1 starts at once; 2, the first restart, waits `backoffMs`).
export function restartDelay(attempt: number, options: { backoffMs: number; backoffMaxMs: number }): number {
  return cappedDoubling(attempt - 1, options.backoffMs, options.backoffMaxMs);
}
