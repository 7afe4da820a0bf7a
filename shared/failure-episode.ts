import type { Logger } from './logger.ts';

/**
 * Background work that fails over and over (a full disk, a broken plugin) must be heard once, not once a tick for
 * the whole outage, and must never fail silently: the first failure of an episode is logged, every one is counted,
 * and the first success after it says how many were missed.
 */
export class FailureEpisode {
  private inEpisode = 0;
  private failures = 0;

  /** `what` names the work in a sentence: "supervisor self-sample". */
  constructor(private readonly what: string, private readonly logger: Logger) {}

  /** Failures since this was created, across every episode. */
  get total(): number {
    return this.failures;
  }

  /** True while the last attempt failed. */
  get failing(): boolean {
    return this.inEpisode > 0;
  }

  failed(error: unknown): void {
    this.failures += 1;
    this.inEpisode += 1;
    if (this.inEpisode > 1) return;
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(`${this.what} failed: ${message}; further failures are counted, not logged, until it works again`);
  }

  succeeded(): void {
    if (this.inEpisode === 0) return;
    this.logger.info(`${this.what} works again after ${this.inEpisode} failed attempt(s)`);
    this.inEpisode = 0;
  }
}
