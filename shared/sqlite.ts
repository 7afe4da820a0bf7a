import { open as openFile } from 'node:fs/promises';
import sqlite3 from 'sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface OpenOptions {
  /** Open without write access; fails if the file is missing. @default false */
  readonly readonly?: boolean;
  /** How long a statement waits on another connection's lock. @default 5000 */
  readonly busyTimeoutMs?: number;
  /** Switch the file to WAL so readers never block the writer. Ignored when readonly. @default true */
  readonly wal?: boolean;
}

/** Our databases hold PHI (the worklist) or its history: owner only. SQLite gives its -wal, -shm and -journal the same mode. */
const PRIVATE_FILE_MODE = 0o600;

// SQLite would create a missing file as 0644 minus the umask, readable by every local user. Creating it empty
// ourselves (O_EXCL, so an existing file and its mode are never touched) makes it private before a byte is written;
// an empty file is a valid empty database. Any failure is left for SQLite to report in its own words.
async function createPrivately(path: string): Promise<void> {
  if (path === '' || path === ':memory:' || path.startsWith('file:')) return;
  const handle = await openFile(path, 'wx', PRIVATE_FILE_MODE).catch(() => undefined);
  await handle?.close();
}

export interface RunResult {
  readonly lastID: number;
  readonly changes: number;
}

// A small promise face over one sqlite3 connection: the only place the callback API is touched.
export class Database {
  private constructor(private readonly raw: sqlite3.Database, readonly path: string) {}

  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    const mode = options.readonly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    if (!options.readonly) await createPrivately(path);
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(path, mode, (error) => (error ? reject(error) : resolve(db)));
    });
    const db = new Database(raw, path);
    try {
      raw.configure('busyTimeout', options.busyTimeoutMs ?? 5000);
      if (!options.readonly && options.wal !== false) await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
    return db;
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.raw.exec(sql, (error) => (error ? reject(error) : resolve())));
  }

  run(sql: string, params: SqlParams = []): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.raw.run(sql, params, function onRun(this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error);
        else resolve({ lastID: this.lastID, changes: this.changes });
      });
    });
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return new Promise((resolve, reject) => this.raw.get(sql, params, (error, row) => (error ? reject(error) : resolve(row as T | undefined))));
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return new Promise((resolve, reject) => this.raw.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as T[]))));
  }

  /** Runs `work` inside BEGIN IMMEDIATE … COMMIT, rolling back on any error. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      await this.exec('COMMIT');
      return result;
    } catch (error) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.raw.close((error) => (error ? reject(error) : resolve())));
  }
}
