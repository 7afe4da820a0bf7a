import { randomBytes } from 'node:crypto';
import type { Database } from '../../shared/sqlite.ts';

// Our own tables in Pylantir's worklist.db. Pylantir's ORM maps only worklist_items and ignores any other table, and
// worklist_items itself is never altered: ownership and the status journal live beside it.

/** Which rows a source of ours inserted. A row inserted by hand, by Pylantir or by an older runner has no link, so
 * the lifecycle step never touches it. `canceled_reason` is set only while the step's own CANCELED stands. */
const LINKS_DDL = `CREATE TABLE IF NOT EXISTS sync_runner_row_links (
  row_id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  record TEXT NOT NULL,
  instance TEXT NOT NULL,
  patient_id TEXT,
  patient_name TEXT,
  canceled_reason TEXT
)`;
const LINKS_INDEX = 'CREATE INDEX IF NOT EXISTS ix_sync_runner_row_links_source ON sync_runner_row_links (source)';

/** Every status change the sync made, written in the transaction that made it; the supervisor copies it to history. */
const JOURNAL_DDL = `CREATE TABLE IF NOT EXISTS sync_runner_status_journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  row_id INTEGER NOT NULL,
  patient_id TEXT,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  record TEXT NOT NULL,
  instance TEXT,
  run_id INTEGER,
  at_ms INTEGER NOT NULL
)`;

const META_DDL = 'CREATE TABLE IF NOT EXISTS sync_runner_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)';

const JOURNAL_ID_KEY = 'journal_id';

/** Creates the tables when missing, and this file's journal id (random, made once, kept in the file). */
export async function ensureLifecycleTables(db: Database): Promise<void> {
  await db.exec(`${LINKS_DDL}; ${LINKS_INDEX}; ${JOURNAL_DDL}; ${META_DDL};`);
  // A copied worklist keeps its id (and its journal); a fresh file gets a new one, so history never mixes the two.
  await db.run('INSERT OR IGNORE INTO sync_runner_meta (key, value) VALUES (?, ?)', [JOURNAL_ID_KEY, randomBytes(16).toString('hex')]);
}

/** This file's journal id; ensureLifecycleTables made it. */
export async function journalIdOf(db: Database): Promise<string> {
  const id = await readMeta(db, JOURNAL_ID_KEY);
  if (id === undefined) throw new Error('sync_runner_meta has no journal id: ensureLifecycleTables was not run');
  return id;
}

export async function readMeta(db: Database, key: string): Promise<string | undefined> {
  return (await db.get<{ value: string }>('SELECT value FROM sync_runner_meta WHERE key = ?', [key]))?.value;
}

export async function writeMeta(db: Database, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO sync_runner_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
