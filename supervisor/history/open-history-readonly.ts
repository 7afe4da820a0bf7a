// Opens history.db for reading only (the post-mortem CLI): works beside a running supervisor (WAL) and on a copy.
import { statSync } from 'node:fs';
import { AppError } from '../../shared/errors/app-error.ts';
import { Database } from '../../shared/sqlite.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from './schema.ts';

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
    let applicationId: number;
    let userVersion: number;
    try {
      applicationId = (await db.get<{ application_id: number }>('PRAGMA application_id'))?.application_id ?? 0;
      userVersion = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version ?? 0;
    } catch (error) {
      // SQLITE_NOTADB for garbage, SQLITE_CORRUPT for a damaged header.
      throw notADatabase(path, (error as Error).message, error);
    }
    if (applicationId !== HISTORY_APPLICATION_ID) {
      throw notADatabase(path, `its application_id is ${applicationId}, not ${HISTORY_APPLICATION_ID} (another program's SQLite file, or empty)`);
    }
    if (userVersion > HISTORY_SCHEMA_VERSION) {
      throw new AppError('HISTORY_SCHEMA_NEWER', `${path} has history schema version ${userVersion}; this sync-supervisor reads up to ${HISTORY_SCHEMA_VERSION}`, {
        details: { path, userVersion, known: HISTORY_SCHEMA_VERSION },
      });
    }
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
