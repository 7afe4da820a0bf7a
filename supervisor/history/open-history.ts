import { AppError } from '../../shared/errors/app-error.ts';
import { Database } from '../../shared/sqlite.ts';
import { judgeHeader, readHistoryHeader, schemaNewerError } from './history-header.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION, MIGRATIONS } from './schema.ts';

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** One schema step applied (`from` 0 with `created`: a new file, all steps at once). */
export interface HistoryMigration {
  readonly path: string;
  readonly from: number;
  readonly to: number;
  readonly created: boolean;
}

/** PURE: the info line an operator reads at start when the file changed shape: which file, from which version to which. */
export function migrationMessage(m: HistoryMigration): string {
  return m.created
    ? `history ${m.path} created at schema version ${m.to}`
    : `history ${m.path} migrated from schema version ${m.from} to ${m.to}`;
}

// Opens history.db for writing: creates or migrates it, and refuses a corrupt, foreign or newer file untouched.
// `onMigrated` hears of each migration applied (a new file: once), after its transaction committed.
export async function openHistoryForWrite(path: string, options: { onMigrated?: (migration: HistoryMigration) => void } = {}): Promise<Database> {
  let db: Database;
  try {
    db = await Database.open(path, { busyTimeoutMs: 5000 });
  } catch (error) {
    if (isCorruption(error)) throw new AppError('HISTORY_CORRUPT', `history database ${path} is not a readable SQLite file`, { cause: error });
    throw new AppError('DATA_DIR_UNUSABLE', `cannot open history database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const pragmas = await readHistoryHeader(db);
    const verdict = judgeHeader(pragmas);
    if (verdict === 'foreign') {
      throw new AppError('HISTORY_FOREIGN', `${path} holds ${pragmas.tableCount} tables of another application (application_id ${pragmas.applicationId})`);
    }
    if (verdict === 'newer') throw schemaNewerError(path, pragmas, 'HISTORY_TOO_NEW');
    const created = verdict === 'empty';
    for (let version = pragmas.userVersion; version < HISTORY_SCHEMA_VERSION; version++) {
      await db.transaction(async () => {
        await db.exec(MIGRATIONS[version] ?? '');
        await db.exec(`PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = ${version + 1};`);
      });
      if (!created) options.onMigrated?.({ path, from: version, to: version + 1, created });
    }
    if (created) options.onMigrated?.({ path, from: 0, to: HISTORY_SCHEMA_VERSION, created });
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    if (error instanceof AppError) throw error;
    if (isCorruption(error)) throw new AppError('HISTORY_CORRUPT', `history database ${path} is corrupt: ${(error as Error).message}`, { cause: error });
    throw new AppError('DATA_DIR_UNUSABLE', `cannot prepare history database ${path}: ${(error as Error).message}`, { cause: error });
  }
}
