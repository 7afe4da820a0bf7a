import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors/app-error.ts';
import { Database } from '../../shared/sqlite.ts';
import { WORKLIST_COLUMNS } from './columns.ts';
import { ensureLifecycleTables } from './lifecycle-tables.ts';

// Pylantir's DDL, byte for byte, so its ORM and MWL server keep reading the table we create.
export const WORKLIST_DDL = `CREATE TABLE worklist_items (
  id INTEGER NOT NULL PRIMARY KEY,
  study_instance_uid VARCHAR(100), patient_name VARCHAR(100), patient_id VARCHAR(50),
  patient_birth_date VARCHAR(8), patient_sex VARCHAR(1), patient_weight_lb VARCHAR(10),
  accession_number VARCHAR(50), referring_physician_name VARCHAR(100), modality VARCHAR(10),
  study_description VARCHAR(100), scheduled_station_aetitle VARCHAR(100),
  scheduled_start_date VARCHAR(8), scheduled_start_time VARCHAR(6),
  performing_physician VARCHAR(100), procedure_description VARCHAR(200),
  protocol_name VARCHAR(100), station_name VARCHAR(100), hisris_coding_designator VARCHAR(100),
  performed_procedure_step_status VARCHAR, data_source VARCHAR(255)
)`;

// Without it every upsert scans the table, which is what makes Pylantir's sync quadratic.
const WORKLIST_INDEX = 'CREATE INDEX IF NOT EXISTS ix_worklist_items_patient_id_patient_name ON worklist_items (patient_id, patient_name)';

/** sqlite3 error codes that mean "wait and retry later" rather than "the file is broken". */
export function toWorklistError(error: unknown, dbPath: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AppError('WORKLIST_DB_BUSY', `worklist database ${dbPath} stayed locked past the busy timeout (${message})`, { cause: error });
  }
  return new AppError('WORKLIST_DB_UNUSABLE', `worklist database ${dbPath} cannot be used: ${message}`, { cause: error });
}

/**
 * Opens worklist.db, creating the table, our index and our own tables (lifecycle-tables.ts) when missing, and checks an
 * existing table has every column.
 */
export async function openWorklist(dbPath: string, options: { busyTimeoutMs?: number } = {}): Promise<Database> {
  let db: Database | undefined;
  try {
    // A fresh install (the demo) has no folder yet; Pylantir's SQLAlchemy would fail here, we create it, owner only
    // as the file itself (Database.open creates a missing worklist.db 0600; an existing one keeps its mode).
    await mkdir(dirname(dbPath), { recursive: true, mode: 0o700 });
    // Rollback journal, not WAL: the file is Pylantir's, so we do not change its journal mode.
    db = await Database.open(dbPath, { busyTimeoutMs: options.busyTimeoutMs ?? 10_000, wal: false });
    const table = await db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'worklist_items'");
    if (table === undefined) await db.exec(WORKLIST_DDL);
    const present = new Set((await db.all<{ name: string }>('PRAGMA table_info(worklist_items)')).map((c) => c.name));
    const missing = WORKLIST_COLUMNS.filter((c) => !present.has(c));
    if (missing.length > 0) {
      throw new AppError('WORKLIST_DB_UNUSABLE', `worklist database ${dbPath}: table worklist_items lacks column(s) ${missing.join(', ')}; is this a Pylantir worklist?`);
    }
    await db.exec(WORKLIST_INDEX);
    await ensureLifecycleTables(db);
    return db;
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw toWorklistError(error, dbPath);
  }
}
