import { AppError } from '../../shared/errors/app-error.ts';
import { Database } from '../../shared/sqlite.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION, MIGRATIONS } from './schema.ts';

interface Pragmas {
  readonly applicationId: number;
  readonly userVersion: number;
  readonly tableCount: number;
}

async function readPragmas(db: Database): Promise<Pragmas> {
  const app = await db.get<{ application_id: number }>('PRAGMA application_id');
  const version = await db.get<{ user_version: number }>('PRAGMA user_version');
  const tables = await db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'");
  return { applicationId: app?.application_id ?? 0, userVersion: version?.user_version ?? 0, tableCount: tables?.n ?? 0 };
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

// Opens history.db for writing: creates or migrates it, and refuses a corrupt, foreign or newer file untouched.
export async function openHistoryForWrite(path: string): Promise<Database> {
  let db: Database;
  try {
    db = await Database.open(path, { busyTimeoutMs: 5000 });
  } catch (error) {
    if (isCorruption(error)) throw new AppError('HISTORY_CORRUPT', `history database ${path} is not a readable SQLite file`, { cause: error });
    throw new AppError('DATA_DIR_UNUSABLE', `cannot open history database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const pragmas = await readPragmas(db);
    if (pragmas.applicationId !== HISTORY_APPLICATION_ID && pragmas.tableCount > 0) {
      throw new AppError('HISTORY_FOREIGN', `${path} holds ${pragmas.tableCount} tables of another application (application_id ${pragmas.applicationId})`);
    }
    if (pragmas.userVersion > HISTORY_SCHEMA_VERSION) {
      throw new AppError('HISTORY_TOO_NEW', `${path} has schema version ${pragmas.userVersion}; this sync-supervisor knows up to ${HISTORY_SCHEMA_VERSION}`);
    }
    for (let version = pragmas.userVersion; version < HISTORY_SCHEMA_VERSION; version++) {
      await db.transaction(async () => {
        await db.exec(MIGRATIONS[version] ?? '');
        await db.exec(`PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = ${version + 1};`);
      });
    }
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    if (error instanceof AppError) throw error;
    if (isCorruption(error)) throw new AppError('HISTORY_CORRUPT', `history database ${path} is corrupt: ${(error as Error).message}`, { cause: error });
    throw new AppError('DATA_DIR_UNUSABLE', `cannot prepare history database ${path}: ${(error as Error).message}`, { cause: error });
  }
}
