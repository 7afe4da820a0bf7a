import { hostname } from 'node:os';
import { readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
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
  /** Refreshes the lock's mtime: the heartbeat that tells another host this holder still lives. */
  touch(): Promise<void>;
  release(): Promise<void>;
}

export interface LockOptions {
  /** A holder on another host whose heartbeat is older than this is taken as dead. */
  readonly staleAfterMs: number;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return undefined; // unreadable or half-written: treat as stale
  }
}

async function holderIsAlive(path: string, holder: LockHolder, now: number, options: LockOptions): Promise<boolean> {
  // A holder on another host (a shared volume, a rescheduled pod) cannot be probed; its heartbeat decides.
  if (holder.host !== hostname()) {
    const beat = await stat(path).then((s) => s.mtimeMs, () => 0);
    return now - beat <= options.staleAfterMs;
  }
  if (!isAlive(holder.pid)) return false;
  // The pid may have been reused by an unrelated process since the holder died.
  return holder.startTicks === null || (await processStartTicks(holder.pid)) === holder.startTicks;
}

// One supervisor per data dir. The lock file holds the pid and its start time, so a reused pid is not mistaken for the holder.
export async function acquireLock(path: string, now: number, options: LockOptions): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, startTicks: (await processStartTicks(process.pid)) ?? null, startedAtMs: now, host: hostname() };
  let tookOverFrom: LockHolder | undefined;
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx' });
      const release = async (): Promise<void> => {
        const current = await readHolder(path);
        if (current?.pid === me.pid && current.startTicks === me.startTicks) await unlink(path).catch(() => undefined);
      };
      const touch = async (): Promise<void> => {
        const at = new Date();
        await utimes(path, at, at).catch(() => undefined);
      };
      return { path, tookOverFrom, touch, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('DATA_DIR_UNUSABLE', `cannot create lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
      }
    }
    const holder = await readHolder(path);
    if (holder && (await holderIsAlive(path, holder, now, options))) {
      const since = new Date(holder.startedAtMs).toISOString();
      throw new AppError('LOCK_HELD', `another supervisor holds ${path}: pid ${holder.pid} on ${holder.host}, running since ${since}`, { details: { holder } });
    }
    tookOverFrom = holder ?? { pid: 0, startTicks: null, startedAtMs: 0, host: 'unknown' };
    await unlink(path).catch(() => undefined);
  }
  throw new AppError('LOCK_HELD', `could not take the lock ${path}: another supervisor is starting at the same moment`);
}
