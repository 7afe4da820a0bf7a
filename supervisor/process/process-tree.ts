import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Differs between two processes that held the same pid, so a reused pid is never taken for a member. */
  readonly startTicks: number;
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
  // A start time that is not a whole number would match nothing: the run's root, remembered with it, would never be
  // found again, and the run would go unwatched. Unreadable is better: the root is then known by its pid alone.
  if (!Number.isInteger(ppid) || !Number.isInteger(pgid) || !Number.isInteger(startTicks) || startTicks < 0) return undefined;
  return { state: fields[0] ?? '?', ppid, pgid, startTicks };
}

/** A stat line is about 300 bytes; one buffer serves every read, as the reads are synchronous. */
const statBuffer = Buffer.alloc(1024);

/**
 * One open, read and close per process (readFileSync would add an fstat and a fresh buffer each time, which is a
 * third of a full listing's cost on a host of a thousand processes).
 */
function readStat(name: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(`/proc/${name}/stat`, 'r');
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    return length < statBuffer.length ? statBuffer.toString('latin1', 0, length) : readFileSync(`/proc/${name}/stat`, 'utf8');
  } catch {
    return undefined; // exited between the listing and the read
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** One process from one read of its stat file; undefined when it is gone or a zombie. Linux only. */
export function readEntry(pid: number | string): ProcessEntry | undefined {
  const stat = readStat(String(pid));
  const parsed = stat === undefined ? undefined : parseProcStat(stat);
  // A zombie holds no memory and cannot be signalled further; where init does not reap, it would linger forever.
  if (!parsed || parsed.state === 'Z') return undefined;
  return { pid: Number(pid), ppid: parsed.ppid, pgid: parsed.pgid, startTicks: parsed.startTicks };
}

/**
 * procfs lives in memory and each read takes microseconds, so synchronous reads here cost far less
 * CPU than one thread-pool round trip per process. It reads every process on the host, so RunTree runs it
 * about once a second, not at every sample.
 */
async function listLinux(): Promise<ProcessEntry[]> {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    const entry = readEntry(name);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Runs `ps`; child_process is loaded only where there is no /proc, so a Linux supervisor does not carry it. */
export async function runPs(args: readonly string[]): Promise<string> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  return (await promisify(execFile)('ps', [...args], { timeout: 5000 })).stdout;
}

/** `ps` elsewhere; its start time (`lstart`, whole seconds) is what processStartTicks reports there too. */
async function listWithPs(): Promise<ProcessEntry[]> {
  const stdout = await runPs(['-A', '-o', 'pid=,ppid=,pgid=,lstart=']);
  const entries: ProcessEntry[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.+)$/.exec(line);
    const started = match ? Date.parse(match[4] ?? '') : Number.NaN;
    if (match && !Number.isNaN(started)) {
      entries.push({ pid: Number(match[1]), ppid: Number(match[2]), pgid: Number(match[3]), startTicks: Math.floor(started / 1000) });
    }
  }
  return entries;
}

export const listProcesses: () => Promise<ProcessEntry[]> = process.platform === 'linux' ? listLinux : listWithPs;

/** Identity of a process: the same pid with another start time is another process. */
export const identityKey = (p: { pid: number; startTicks: number }): string => `${p.pid}:${p.startTicks}`;

/**
 * Pure: the members of a run's tree in one listing of the system. The seeds are the root (whose pid is also its group
 * id, as we spawn it detached), every member of that group, and every `known` process (pid → start ticks) still alive
 * as the same process: one seen in the tree before stays a member after it is re-parented to init by a setsid and
 * its parent's exit. Every descendant of a seed, by parent link, is a member too.
 */
export function treeMembers(rootPid: number, known: ReadonlyMap<number, number>, processes: readonly ProcessEntry[]): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  const queue: ProcessEntry[] = [];
  for (const p of processes) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
    const knownTicks = known.get(p.pid);
    const isRoot = p.pid === rootPid && (knownTicks === undefined || knownTicks === p.startTicks);
    if (isRoot || p.pgid === rootPid || knownTicks === p.startTicks) queue.push(p);
  }
  const members = new Map<number, ProcessEntry>();
  while (queue.length > 0) {
    const p = queue.pop() as ProcessEntry;
    if (members.has(p.pid)) continue;
    members.set(p.pid, p);
    for (const child of children.get(p.pid) ?? []) queue.push(child);
  }
  return [...members.values()];
}
