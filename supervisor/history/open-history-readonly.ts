// Opens history.db for reading only (the post-mortem CLI): works beside a running supervisor (WAL) and on a copy.
import { statSync } from 'node:fs';
import { AppError } from '../../shared/errors/app-error.ts';
import { Database } from '../../shared/sqlite.ts';
import { judgeHeader, readHistoryHeader, schemaNewerError, type HistoryHeader } from './history-header.ts';
import { processesHoldingFile } from './file-holders.ts';
import { HISTORY_APPLICATION_ID, MIGRATIONS } from './schema.ts';

/** SQLite's "another connection holds a lock" answers, past the busy timeout. */
export function isLockError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** A locked file is ours all right; it says who holds it when /proc can tell. */
export function lockedError(path: string, cause: unknown): AppError {
  const pids = processesHoldingFile(path);
  const who = pids.length === 0 ? 'another process' : `another process (pid ${pids.join(', ')} has it open)`;
  return new AppError('HISTORY_LOCKED', `${path} is locked by ${who}: ${(cause as Error).message}`, { cause, details: { path, pids } });
}

/**
 * Our application_id but no tables: a history created and never written to. It reads as an empty history ("no runs
 * recorded"), from an in-memory copy of the current schema, since the file itself is never written here.
 */
async function emptyHistory(): Promise<Database> {
  const db = await Database.open(':memory:', { wal: false });
  for (const migration of MIGRATIONS) await db.exec(migration);
  return db;
}

function notADatabase(path: string, why: string, cause?: unknown): AppError {
  return new AppError('HISTORY_NOT_A_DB', `${path} is not a sync-supervisor history database: ${why}`, { cause, details: { path } });
}

// Checks the file is ours before any query touches it; every refusal is an AppError with a documented exit code.
export async function openHistoryReadonly(path: string): Promise<Database> {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new AppError('HISTORY_NOT_FOUND', `history database ${path} does not exist`, { cause: error, details: { path } });
  }
  if (!isFile) throw notADatabase(path, 'it is a directory, not a file');
  let db: Database;
  try {
    db = await Database.open(path, { readonly: true, busyTimeoutMs: 5000 });
  } catch (error) {
    throw notADatabase(path, (error as Error).message, error);
  }
  try {
    let header: HistoryHeader;
    try {
      header = await readHistoryHeader(db);
    } catch (error) {
      if (isLockError(error)) throw lockedError(path, error);
      // SQLITE_NOTADB for garbage, SQLITE_CORRUPT for a damaged header.
      throw notADatabase(path, (error as Error).message, error);
    }
    const verdict = judgeHeader(header);
    // Read-only, an empty file is no history either: nothing here was written by a supervisor.
    if (verdict === 'foreign' || verdict === 'empty') {
      throw notADatabase(path, `its application_id is ${header.applicationId}, not ${HISTORY_APPLICATION_ID} (another program's SQLite file, or empty)`);
    }
    if (verdict === 'newer') throw schemaNewerError(path, header, 'HISTORY_SCHEMA_NEWER');
    if (header.tableCount === 0) {
      await db.close();
      return await emptyHistory();
    }
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
