// The one check both history openers make before touching a file: is it ours, and is its schema one we know?
import { AppError } from '../../shared/errors/app-error.ts';
import type { Database } from '../../shared/sqlite.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from './schema.ts';

export interface HistoryHeader {
  readonly applicationId: number;
  readonly userVersion: number;
  readonly tableCount: number;
}

/** `ours`: our application_id; `empty`: no id and no tables (a new file); `foreign`: another program's tables; `newer`: ours, from a newer supervisor. */
export type HeaderVerdict = 'ours' | 'empty' | 'foreign' | 'newer';

/** Reads the header; a garbage or damaged file rejects here with SQLITE_NOTADB / SQLITE_CORRUPT. */
export async function readHistoryHeader(db: Database): Promise<HistoryHeader> {
  const app = await db.get<{ application_id: number }>('PRAGMA application_id');
  const version = await db.get<{ user_version: number }>('PRAGMA user_version');
  const tables = await db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'");
  return { applicationId: app?.application_id ?? 0, userVersion: version?.user_version ?? 0, tableCount: tables?.n ?? 0 };
}

// Pure: what the header says about the file.
export function judgeHeader(header: HistoryHeader): HeaderVerdict {
  if (header.applicationId !== HISTORY_APPLICATION_ID) return header.tableCount > 0 ? 'foreign' : 'empty';
  return header.userVersion > HISTORY_SCHEMA_VERSION ? 'newer' : 'ours';
}

/**
 * A history written by a newer supervisor: one fact, one message, for both programs. Each keeps its documented code
 * and exit code (the supervisor `HISTORY_TOO_NEW`, 9; the history CLI `HISTORY_SCHEMA_NEWER`, 22), and its own hint.
 */
export function schemaNewerError(path: string, header: HistoryHeader, code: 'HISTORY_TOO_NEW' | 'HISTORY_SCHEMA_NEWER'): AppError {
  return new AppError(code, `${path} has history schema version ${header.userVersion}; this sync-supervisor knows up to ${HISTORY_SCHEMA_VERSION}`, {
    details: { path, userVersion: header.userVersion, known: HISTORY_SCHEMA_VERSION },
  });
}
