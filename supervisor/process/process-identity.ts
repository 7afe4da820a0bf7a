import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseProcStat, runPs } from './process-tree.ts';

/**
 * A number that differs between two processes that reuse the same pid: the start time in clock
 * ticks on Linux, or `ps`'s start time elsewhere. Undefined when the process is gone.
 */
export async function processStartTicks(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    return stat === undefined ? undefined : parseProcStat(stat)?.startTicks;
  }
  try {
    const stdout = await runPs(['-o', 'lstart=', '-p', String(pid)]);
    const at = Date.parse(stdout.trim());
    return Number.isNaN(at) ? undefined : Math.floor(at / 1000);
  } catch {
    return undefined;
  }
}

/** True while `pid` exists and is not a zombie (signal 0 probes without delivering anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The start ticks of `pid` right now, read synchronously (Linux only; undefined elsewhere or when gone). Used where
 * an await would let the process exit, or its pid be reused, between the look and the act.
 */
export function startTicksNow(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.startTicks;
  } catch {
    return undefined;
  }
}

/**
 * Sends `signal` to `pid` only while it is still the process that was seen with `startTicks`, so a pid reused
 * by an unrelated process is never signalled. Elsewhere than Linux the fresh listing it came from is the check.
 */
export function signalProcess(identity: { readonly pid: number; readonly startTicks: number }, signal: NodeJS.Signals): boolean {
  if (process.platform === 'linux' && startTicksNow(identity.pid) !== identity.startTicks) return false;
  try {
    process.kill(identity.pid, signal);
    return true;
  } catch {
    return false; // gone since
  }
}

/** Sends `signal` to a whole process group; false when the group is already empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
