import type { Logger } from '../../shared/logger.ts';
import type { Database } from '../../shared/sqlite.ts';
import { closeLostFile } from './close-lost-file.ts';
import { judgeFileChange, readFileIdentity, type FileChange, type FileIdentity } from './file-identity.ts';

export type LostFile = Exclude<FileChange, 'same'>;

export interface ReopenOptions {
  /** Opens the database at a path, creating and migrating it: `openHistoryForWrite`. */
  readonly open: (path: string) => Promise<Database>;
  /** Writes what the new file must hold before any other write reaches it; runs while writes are held back. */
  readonly onReopened: (db: Database, lost: LostFile) => Promise<void>;
  readonly logger?: Logger;
}

/** PURE: what an operator reads in the log and in the new file's alerts after the old file went away. */
export function reopenedMessage(path: string, lost: LostFile, carried: readonly number[], notCarried: readonly number[]): string {
  const why = lost === 'deleted' ? 'the file opened was deleted' : 'another file took its place';
  const runs = [
    carried.length > 0 ? `run ${carried.join(', ')} still going is recorded here again` : '',
    notCarried.length > 0 ? `run ${notCarried.join(', ')} still going is not (its id is taken in this file)` : '',
  ].filter(Boolean);
  return `history.db was deleted or replaced while running; reopened a new one at ${path} (${why}; what was written since the last check went with the old file${runs.length > 0 ? `; ${runs.join('; ')}` : ''})`;
}

/**
 * The one write connection to history.db, and its replacement when the file it holds leaves its path.
 *
 * SQLite keeps writing into a file that was deleted (or moved aside) while open, so a supervisor that never looks
 * loses every row from then on to anyone reading the path. `verify()` compares the path's (dev, ino) with the file
 * opened and, when they differ, closes the old connection *first* (see closeLostFile: its WAL must not be left for
 * the new file to replay, nor two connections share one -shm), then opens a fresh file at the path. Writes that
 * arrive meanwhile wait; writes already issued finish in the old file, since its close waits for them.
 */
export class HistoryConnection {
  readonly path: string;
  private current: Database;
  /** The (dev, ino) of the file held open, read once it is open. */
  private identity: Promise<FileIdentity | undefined>;
  /** A check (and reopen) in progress; concurrent callers share it. */
  private checking: Promise<void> | undefined;
  /** Set while the old connection is closed and the new one not yet open; writes wait on it. */
  private swapping: Promise<void> | undefined;
  /** Set from closing the lost file until a new one is open: what happened to it. */
  private pendingLoss: LostFile | undefined;
  /** Why the new file could not be opened; writes fail with it until a later check opens one. */
  private unavailable: Error | undefined;
  private troubleReported = false;
  private closed = false;

  constructor(db: Database, private readonly reopen?: ReopenOptions) {
    this.current = db;
    this.path = db.path;
    this.identity = reopen ? readFileIdentity(db.path).catch(() => undefined) : Promise.resolve(undefined);
  }

  /** The connection in force. Read it at each use: after a reopen it is another object. */
  get db(): Database {
    return this.current;
  }

  /** Runs `work` on the connection in force, after any reopen under way. */
  async use<T>(work: (db: Database) => Promise<T>): Promise<T> {
    while (this.swapping) await this.swapping;
    if (this.unavailable) throw this.unavailable;
    return work(this.current);
  }

  /** Makes sure writes go to the file at the path, reopening it if needed; never rejects (trouble is logged once). */
  verify(): Promise<void> {
    if (!this.reopen || this.closed) return Promise.resolve();
    this.checking ??= this.check(this.reopen).finally(() => (this.checking = undefined));
    return this.checking;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.checking;
    if (this.pendingLoss === undefined) await this.current.close();
  }

  private async check(reopen: ReopenOptions): Promise<void> {
    try {
      const change = this.pendingLoss ?? judgeFileChange(await this.identity, await readFileIdentity(this.path));
      if (change !== 'same') await this.swap(reopen, change);
      if (this.troubleReported) reopen.logger?.info(`history.db at ${this.path} is writable again`);
      this.troubleReported = false;
    } catch (error) {
      if (this.troubleReported) return;
      this.troubleReported = true;
      reopen.logger?.error(`cannot check or reopen history.db at ${this.path}: ${(error as Error).message}; history writes fail until it is reopened, tried again at the next flush`);
    }
  }

  private async swap(reopen: ReopenOptions, lost: LostFile): Promise<void> {
    let release = (): void => undefined;
    this.swapping = new Promise<void>((resolve) => (release = resolve));
    try {
      if (this.pendingLoss === undefined) {
        this.pendingLoss = lost;
        await closeLostFile(this.current, reopen.logger);
      }
      let db: Database;
      try {
        db = await reopen.open(this.path);
      } catch (error) {
        this.unavailable = error as Error;
        throw error;
      }
      this.current = db;
      this.identity = readFileIdentity(this.path).catch(() => undefined);
      this.pendingLoss = undefined;
      this.unavailable = undefined;
      await reopen.onReopened(db, lost).catch((error: unknown) =>
        reopen.logger?.error(`reopened history.db at ${this.path}, but could not record the reopen in it: ${(error as Error).message}`),
      );
    } finally {
      this.swapping = undefined;
      release();
    }
  }
}
