import { setTimeout as delay } from 'node:timers/promises';
import type { RunTree } from '../process/run-tree.ts';
import { sampleTreeRss } from '../process/tree-rss.ts';

export interface TreeSample {
  readonly atMs: number;
  readonly rssBytes: number;
  readonly pidCount: number;
}

export interface MemoryWatchOptions {
  /** The run's processes; each sample walks the tree once (and lists the host about once a second), escaped helpers included. */
  readonly tree: Pick<RunTree, 'scan' | 'lastMembers'>;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly onSample: (sample: TreeSample) => void;
}

/**
 * Samples the whole tree at a fixed rate until `signal` aborts. The next sample is planned from the
 * loop's start, so a slow sample does not push every later one back.
 */
export async function watchMemory(options: MemoryWatchOptions): Promise<void> {
  const started = performance.now();
  for (let n = 0; !options.signal.aborted; n++) {
    // A failed look at /proc reuses the last members; it must never end the watch while the tree lives.
    const members = await options.tree.scan().catch(() => options.tree.lastMembers());
    const pids = members.map((m) => m.pid);
    if (pids.length === 0 || options.signal.aborted) return;
    const { rssBytes, pidCount } = await sampleTreeRss(pids);
    if (options.signal.aborted) return;
    if (pidCount > 0) options.onSample({ atMs: options.now(), rssBytes, pidCount });
    const wait = Math.max(0, started + (n + 1) * options.intervalMs - performance.now());
    try {
      await delay(wait, undefined, { signal: options.signal });
    } catch {
      return;
    }
  }
}
