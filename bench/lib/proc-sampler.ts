import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

/** RSS of one pid from /proc, or undefined once it is gone (a zombie counts as gone: its memory is freed). */
export function procRss(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return undefined;
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return resident * PAGE;
  } catch {
    return undefined;
  }
}

/** user+system CPU ticks of a pid (clock ticks, 100 a second on Linux). */
export function procCpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Open file descriptors of a pid: a flat count over thousands of runs means no fd leak. */
export function procFdCount(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

export interface CrossingObservation {
  /** performance.now() when RSS was first seen at or above the limit. */
  readonly crossedAt: number | undefined;
  /** performance.now() when the pid was first seen gone. */
  readonly goneAt: number;
  /** performance.now() of the last look that still saw it. */
  readonly lastSeenAt: number | undefined;
  readonly peakBytes: number;
}

/**
 * An independent observer: polls /proc every `everyMs` (2 ms) until the pid is gone, noting the first
 * sample at or over `limitBytes` and the peak. It shares nothing with the supervisor under test.
 */
export async function observeUntilGone(pid: number, limitBytes: number, everyMs = 2): Promise<CrossingObservation> {
  let crossedAt: number | undefined;
  let lastSeenAt: number | undefined;
  let peakBytes = 0;
  for (;;) {
    const rss = procRss(pid);
    const at = performance.now();
    if (rss === undefined) return { crossedAt, goneAt: at, lastSeenAt, peakBytes };
    lastSeenAt = at;
    peakBytes = Math.max(peakBytes, rss);
    if (crossedAt === undefined && rss >= limitBytes) crossedAt = at;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
