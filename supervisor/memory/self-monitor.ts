import { setTimeout as delay } from 'node:timers/promises';

export interface SelfMonitorOptions {
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly onSample: (atMs: number, rssBytes: number) => Promise<void> | void;
}

// The supervisor must live for months, so it watches its own RSS too: once at start, then every interval.
export async function monitorSelf(options: SelfMonitorOptions): Promise<void> {
  while (!options.signal.aborted) {
    await Promise.resolve(options.onSample(options.now(), process.memoryUsage.rss())).catch(() => undefined);
    const waited = await delay(options.intervalMs, true, { signal: options.signal }).catch(() => false);
    if (!waited) return;
  }
}
