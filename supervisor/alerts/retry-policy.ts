// PURE: after a failed delivery attempt, when to try again, or that it is time to give up.
import { cappedDoubling } from '../../shared/backoff.ts';
import type { AlertRetryConfig } from '../config/types.ts';

export interface FailedAttempt {
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  /** When the alert was raised. */
  readonly createdAtMs: number;
  readonly nowMs: number;
}

/**
 * Doubling from `backoffMs`, capped at `backoffMaxMs`: 5 s, 10 s, 20 s … 5 min with the defaults. After failed
 * attempt 1 the wait is `backoffMs`, so `attempts` is `cappedDoubling`'s retry number as it stands.
 */
export function retryDelayMs(attempts: number, policy: Pick<AlertRetryConfig, 'backoffMs' | 'backoffMaxMs'>): number {
  return cappedDoubling(Math.max(attempts, 1), policy.backoffMs, policy.backoffMaxMs);
}

/**
 * The next attempt's time, or undefined to mark the delivery failed: after `maxAttempts`, or when the next try
 * would come later than `maxAgeMs` after the alert (news that old helps nobody, and the row would sit forever).
 */
export function nextAttemptAt(attempt: FailedAttempt, policy: AlertRetryConfig): number | undefined {
  if (attempt.attempts >= policy.maxAttempts) return undefined;
  const next = attempt.nowMs + retryDelayMs(attempt.attempts, policy);
  return next - attempt.createdAtMs > policy.maxAgeMs ? undefined : next;
}
