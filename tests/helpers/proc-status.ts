// What /proc says about a process the test did not write: its peak RSS, its open fds, and which processes are alive
// with a given word on their command line (to find orphans a sink left behind).
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { bytesToMb } from '../../shared/units.ts';

/** VmHWM: the process's peak resident set since it started, in bytes. */
export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

/** How many file descriptors the process holds open now. */
export async function openFdCount(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** Pids of live processes (zombies excluded) whose command line contains `word`. */
export async function pidsWithArg(word: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      const state = /^State:\s+(\w)/m.exec(await readFile(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(word) && state !== 'Z') found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** A `kB` field of /proc/<pid>/status in MB, e.g. `VmHWM` (the peak resident set) or `VmRSS` (now). */
export function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return bytesToMb(Number(kb) * 1024);
}
