import { setTimeout as delay } from 'node:timers/promises';
import type { FailureEpisode } from '../../shared/failure-episode.ts';

export interface SelfMonitorOptions {
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly onSample: (atMs: number, rssBytes: number) => Promise<void> | void;
  /** Where a failing `onSample` is logged (once per episode) and counted; the loop itself never stops for one. */
  readonly failures: FailureEpisode;
}

// The supervisor must live for months, so it watches its own RSS too: once at start, then every interval.
export async function monitorSelf(options: SelfMonitorOptions): Promise<void> {
  while (!options.signal.aborted) {
    try {
      await options.onSample(options.now(), process.memoryUsage.rss());
      options.failures.succeeded();
    } catch (error) {
      options.failures.failed(error);
    }
    const waited = await delay(options.intervalMs, true, { signal: options.signal }).catch(() => false);
    if (!waited) return;
  }
}
