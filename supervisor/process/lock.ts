import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { utimes } from 'node:fs/promises';
import { AppError } from '../../shared/errors/app-error.ts';
import { createWithText, readSnapshot, removeFile } from './lock-file.ts';
import { holderIsAlive, parseHolder, type LivenessOptions, type LockHolder } from './lock-holder.ts';
import { removeStale } from './lock-takeover.ts';
import { processStartTicks } from './process-identity.ts';

export type { LockHolder } from './lock-holder.ts';

export interface HeldLock {
  readonly path: string;
  /** Set when a dead holder's lock was taken over, for the caller to warn about. */
  readonly tookOverFrom: LockHolder | undefined;
  /**
   * Refreshes the lock's mtime: the heartbeat that tells another host this holder still lives. Never rejects:
   * resolves to the error when the heartbeat failed or the lock is no longer ours, undefined when it went well.
   */
  touch(): Promise<AppError | undefined>;
  release(): Promise<void>;
}

export type LockOptions = LivenessOptions;

/** Rounds of "create, else judge and remove the stale file"; each lost round means another process moved first. */
const MAX_ROUNDS = 5;

const describe = (holder: LockHolder): string => `pid ${holder.pid} on ${holder.host}, running since ${new Date(holder.startedAtMs).toISOString()}`;
const reasonOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

function heldLock(path: string, text: string, tookOverFrom: LockHolder | undefined): HeldLock {
  // Ours while the file holds our text, which no other acquisition can produce (the nonce).
  const isOurs = async (): Promise<boolean> => (await readSnapshot(path))?.text === text;
  return {
    path,
    tookOverFrom,
    async touch() {
      try {
        if (!(await isOurs())) return new AppError('LOCK_HELD', `lost the lock ${path}: it no longer names this supervisor (pid ${process.pid})`);
        const at = new Date();
        await utimes(path, at, at);
        return undefined;
      } catch (error) {
        return new AppError('DATA_DIR_UNUSABLE', `cannot refresh the lock ${path}: ${reasonOf(error)}`, { cause: error });
      }
    },
    async release() {
      if (await isOurs().catch(() => false)) await removeFile(path).catch(() => undefined);
    },
  };
}

// One supervisor per data dir. The lock file holds the pid and its start time, so a reused pid is not mistaken for the holder.
export async function acquireLock(path: string, now: number, options: LockOptions): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, startTicks: (await processStartTicks(process.pid)) ?? null, startedAtMs: now, host: hostname(), nonce: randomUUID() };
  const text = JSON.stringify(me);
  const isAlive = (file: string, holder: LockHolder): Promise<boolean> => holderIsAlive(file, holder, now, options);
  let tookOverFrom: LockHolder | undefined;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (await createWithText(path, text)) {
        // Belt and braces: nothing removes a live holder's file, so this only fails if that rule is broken.
        if ((await readSnapshot(path))?.text !== text) break;
        return heldLock(path, text, tookOverFrom);
      }
      const found = await readSnapshot(path);
      if (found === undefined) continue; // removed between our attempt and our look
      const holder = parseHolder(found.text);
      if (holder && (await isAlive(path, holder))) {
        throw new AppError('LOCK_HELD', `another supervisor holds ${path}: ${describe(holder)}`, { details: { holder } });
      }
      // Unreadable or unparsable: the file of an older version or a broken disk write, as dead as a dead pid.
      tookOverFrom = holder ?? { pid: 0, startTicks: null, startedAtMs: 0, host: 'unknown' };
      if ((await removeStale(path, found, text, isAlive)) === 'busy') break;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('DATA_DIR_UNUSABLE', `cannot create lock file ${path}: ${reasonOf(error)}`, { cause: error });
  }
  throw new AppError('LOCK_HELD', `could not take the lock ${path}: another supervisor is starting at the same moment`);
}
