import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseProcStat } from './process-tree.ts';

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
    const { stdout } = await promisify(execFile)('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: 5000 });
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

/** Sends `signal` to a whole process group; false when the group is already empty. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
