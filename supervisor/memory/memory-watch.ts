import { setTimeout as delay } from 'node:timers/promises';
import pidusage from 'pidusage';
import type { RunTree } from '../process/run-tree.ts';

export interface TreeSample {
  readonly atMs: number;
  readonly rssBytes: number;
  readonly pidCount: number;
}

/**
 * pidusage keeps an fd open on /proc/<pid>/stat for every pid it has sampled and closes it only when that pid's
 * entry expires; `pidusage.clear()` drops entries without closing them (one fd leaked per run). A short maxage
 * lets its own invalidator close the fds of pids not sampled in the last second.
 */
const PIDUSAGE_MAXAGE_MS = 1000;

/** Sums the RSS of every pid; one that exited between listing and sampling just counts as gone. */
async function sampleTreeRss(pids: readonly number[]): Promise<{ rssBytes: number; pidCount: number }> {
  const results = await Promise.allSettled(pids.map((pid) => pidusage(pid, { maxage: PIDUSAGE_MAXAGE_MS })));
  let rssBytes = 0;
  let pidCount = 0;
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    rssBytes += result.value.memory;
    pidCount += 1;
  }
  return { rssBytes, pidCount };
}

export interface MemoryWatchOptions {
  /** The run's processes; each sample lists them once, escaped helpers included. */
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
