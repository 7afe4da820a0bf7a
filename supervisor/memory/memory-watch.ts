import { setTimeout as delay } from 'node:timers/promises';
import type { RunTree } from '../process/run-tree.ts';
import { sampleTreeRss } from '../process/tree-rss.ts';
import type { MemoryLimits } from './decide.ts';
import { intervalBounds, nextSampleIntervalMs, SLOPE_SAMPLES, type RssPoint } from './sample-interval.ts';

export interface TreeSample {
  readonly atMs: number;
  readonly rssBytes: number;
  readonly pidCount: number;
}

export interface MemoryWatchOptions {
  /** The run's processes; each sample walks the tree once (and lists the host about once a second), escaped helpers included. */
  readonly tree: Pick<RunTree, 'scan' | 'lastMembers'>;
  /** `memory.sampleIntervalMs`: the base period, from an eighth of it near a line to twice it far below. */
  readonly intervalMs: number;
  /** The lines the sampling closes in on (a run's `memory` config). */
  readonly limits: Pick<MemoryLimits, 'emergencyMb' | 'hardLimitMb'>;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly onSample: (sample: TreeSample) => void;
}

/**
 * Samples the whole tree until `signal` aborts, each wait chosen by `nextSampleIntervalMs` from the last few samples.
 * The next sample is planned from when this one was planned, not from when it ended, so a slow sample does not push
 * every later one back.
 */
export async function watchMemory(options: MemoryWatchOptions): Promise<void> {
  const bounds = intervalBounds(options.intervalMs);
  const recent: RssPoint[] = [];
  let plannedAt = performance.now();
  while (!options.signal.aborted) {
    // A failed look at /proc reuses the last members; it must never end the watch while the tree lives.
    const members = await options.tree.scan().catch(() => options.tree.lastMembers());
    const pids = members.map((m) => m.pid);
    if (pids.length === 0 || options.signal.aborted) return;
    const { rssBytes, pidCount } = await sampleTreeRss(pids);
    // The slope is read on this loop's own clock, the one the waits are planned on.
    const readAt = performance.now();
    if (options.signal.aborted) return;
    if (pidCount > 0) {
      options.onSample({ atMs: options.now(), rssBytes, pidCount });
      recent.push({ atMs: readAt, rssBytes });
      if (recent.length > SLOPE_SAMPLES) recent.shift();
    }
    // A loop that fell behind (a blocked event loop, a slow /proc) samples once now, not once per missed slot.
    plannedAt = Math.max(plannedAt + nextSampleIntervalMs(recent, options.limits, bounds), performance.now());
    try {
      await delay(Math.max(0, plannedAt - performance.now()), undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
