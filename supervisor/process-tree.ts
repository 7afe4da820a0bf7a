import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): { state: string; ppid: number; pgid: number; startTicks: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is the state (field 3 of stat), so field N of stat is fields[N - 3].
  const ppid = Number(fields[1]);
  const pgid = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (!Number.isInteger(ppid) || !Number.isInteger(pgid)) return undefined;
  return { state: fields[0] ?? '?', ppid, pgid, startTicks };
}

function readStat(name: string): string | undefined {
  try {
    return readFileSync(`/proc/${name}/stat`, 'utf8');
  } catch {
    return undefined; // exited between the listing and the read
  }
}

/**
 * procfs lives in memory and each read takes microseconds, so synchronous reads here cost far less
 * CPU than one thread-pool round trip per process, ten times a second.
 */
async function listLinux(): Promise<ProcessEntry[]> {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const stat = readStat(name);
    const parsed = stat === undefined ? undefined : parseProcStat(stat);
    // A zombie holds no memory and cannot be signalled further; where init does not reap, it would linger forever.
    if (parsed && parsed.state !== 'Z') entries.push({ pid: Number(name), ppid: parsed.ppid, pgid: parsed.pgid });
  }
  return entries;
}

async function listWithPs(): Promise<ProcessEntry[]> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { timeout: 5000 });
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((f) => f.length === 3 && f.every(Number.isInteger))
    .map(([pid, ppid, pgid]) => ({ pid: pid ?? 0, ppid: ppid ?? 0, pgid: pgid ?? 0 }));
}

const listProcesses: () => Promise<ProcessEntry[]> = process.platform === 'linux' ? listLinux : listWithPs;

/**
 * Pure: `root` and every descendant by parent link, plus every member of `root`'s process group,
 * which catches a grandchild that daemonised and was re-parented to init.
 */
export function treeOf(root: number, processes: readonly ProcessEntry[]): number[] {
  const children = new Map<number, number[]>();
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const seen = new Set<number>();
  const queue = processes.some((p) => p.pid === root) ? [root] : [];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  for (const p of processes) if (p.pgid === root) seen.add(p.pid);
  return [...seen];
}

/** The live process tree rooted at `root` (whose group id is `root`, as we spawn it detached). */
export async function processTree(root: number): Promise<number[]> {
  return treeOf(root, await listProcesses());
}
