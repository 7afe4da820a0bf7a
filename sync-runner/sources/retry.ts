import { setTimeout as delay } from 'node:timers/promises';
import { cappedDoubling } from '../../shared/backoff.ts';
import { AppError } from '../../shared/errors/app-error.ts';

/** @default cap on one wait, so a long outage still ends within the supervisor's run timeout. */
const MAX_RETRY_DELAY_MS = 30_000;

// Pure: the wait after failed attempt `attempt` (1 = the first), doubling with "equal jitter" (half fixed, half
// random), so parallel runners do not retry in step.
export function retryDelayWithJitter(attempt: number, baseMs: number, random: number, maxMs = MAX_RETRY_DELAY_MS): number {
  const exponential = cappedDoubling(attempt, baseMs, maxMs);
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

export type AttemptOutcome<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'retry' | 'fail'; readonly error: AppError };

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  /** The run's signal: an abort stops the wait at once. */
  readonly signal: AbortSignal;
  /** @default Math.random */
  readonly random?: () => number;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: AppError }) => void;
}

export function interrupted(cause?: unknown): AppError {
  return new AppError('RUNNER_INTERRUPTED', 'sync interrupted before it finished (SIGTERM or supervisor gone)', { cause });
}

// Runs `attempt` until it succeeds, fails for good, or the attempts run out; the last error says how many were made.
export async function withRetries<T>(attempt: (n: number) => Promise<AttemptOutcome<T>>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    if (options.signal.aborted) throw interrupted(options.signal.reason);
    const outcome = await attempt(n);
    if (outcome.kind === 'ok') return outcome.value;
    if (outcome.kind === 'fail') throw outcome.error;
    if (n >= options.maxAttempts) {
      throw new AppError(outcome.error.code, `${outcome.error.message} (gave up after ${n} attempt${n === 1 ? '' : 's'})`, { cause: outcome.error, details: outcome.error.details });
    }
    const delayMs = retryDelayWithJitter(n, options.baseDelayMs, (options.random ?? Math.random)());
    options.onRetry?.({ attempt: n, delayMs, error: outcome.error });
    try {
      await delay(delayMs, undefined, { signal: options.signal });
    } catch (error) {
      throw interrupted(error);
    }
  }
}
