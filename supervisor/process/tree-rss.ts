import type pidusageModule from 'pidusage';

/**
 * pidusage keeps an fd open on /proc/<pid>/stat for every pid it has sampled and closes it only when that pid's
 * entry expires; `pidusage.clear()` drops entries without closing them (one fd leaked per run). A short maxage
 * lets its own invalidator close the fds of pids not sampled in the last second.
 */
const PIDUSAGE_MAXAGE_MS = 1000;

let loaded: Promise<typeof pidusageModule> | undefined;

/**
 * pidusage's first call in a process runs `getconf CLK_TCK` and `getconf PAGESIZE` through a shell, twice a process
 * spawn: on a loaded host that took over a second, so a run-once's first sample came after a short runner had
 * already exited (no peak, no trend point), and a leak at start was seen a second late. Called when the supervisor
 * starts, in the background: by the first spawn the answers are in pidusage's cache. Never rejects.
 */
export function warmTreeRss(): void {
  loaded ??= import('pidusage').then((m) => m.default);
  void loaded.then((pidusage) => pidusage(process.pid, { maxage: PIDUSAGE_MAXAGE_MS })).catch(() => undefined);
}

/**
 * Sums the RSS of every pid with one pidusage call (one /proc/uptime read per sample, not one per pid); a pid
 * that exited between the tree's look and this read just counts as gone.
 */
export async function sampleTreeRss(pids: readonly number[]): Promise<{ rssBytes: number; pidCount: number }> {
  const pidusage = await (loaded ??= import('pidusage').then((m) => m.default));
  // pidusage rewrites the array it is given, so it gets a copy. With one pid a failure rejects; with more it is
  // simply missing from the result.
  const stats = await pidusage([...pids], { maxage: PIDUSAGE_MAXAGE_MS }).catch(() => ({}) as Record<string, undefined>);
  let rssBytes = 0;
  let pidCount = 0;
  for (const pid of new Set(pids)) {
    const stat = stats[String(pid)];
    if (stat === undefined || stat === null) continue;
    rssBytes += stat.memory;
    pidCount += 1;
  }
  return { rssBytes, pidCount };
}
