import { hostname } from 'node:os';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { AppError } from '../shared/errors/app-error.ts';
import { isAlive, processStartTicks } from './process-identity.ts';

export interface LockHolder {
  readonly pid: number;
  readonly startTicks: number | null;
  readonly startedAtMs: number;
  readonly host: string;
}

export interface HeldLock {
  readonly path: string;
  /** Set when a dead holder's lock was taken over, for the caller to warn about. */
  readonly tookOverFrom: LockHolder | undefined;
  release(): Promise<void>;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // unreadable or half-written: treat as stale
  }
}

async function holderIsAlive(holder: LockHolder): Promise<boolean> {
  // A holder on another host (a shared data dir) cannot be checked from here, so it is taken as alive.
  if (holder.host !== hostname()) return true;
  if (!isAlive(holder.pid)) return false;
  // The pid may have been reused by an unrelated process since the holder died.
  return holder.startTicks === null || (await processStartTicks(holder.pid)) === holder.startTicks;
}

// One supervisor per data dir. The lock file holds the pid and its start time, so a reused pid is not mistaken for the holder.
export async function acquireLock(path: string, now: number): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, startTicks: (await processStartTicks(process.pid)) ?? null, startedAtMs: now, host: hostname() };
  let tookOverFrom: LockHolder | undefined;
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx' });
      const release = async (): Promise<void> => {
        const current = await readHolder(path);
        if (current?.pid === me.pid && current.startTicks === me.startTicks) await unlink(path).catch(() => undefined);
      };
      return { path, tookOverFrom, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('DATA_DIR_UNUSABLE', `cannot create lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
    }
    const holder = await readHolder(path);
    if (holder && (await holderIsAlive(holder))) {
      const since = new Date(holder.startedAtMs).toISOString();
      throw new AppError('LOCK_HELD', `another supervisor holds ${path}: pid ${holder.pid} on ${holder.host}, running since ${since}`, { details: { holder } });
    }
    tookOverFrom = holder ?? { pid: 0, startTicks: null, startedAtMs: 0, host: 'unknown' };
    await unlink(path).catch(() => undefined);
  }
  throw new AppError('LOCK_HELD', `could not take the lock ${path}: another supervisor is starting at the same moment`);
}
