import type { Database, SqlValue } from '../../shared/sqlite.ts';
import { WORKLIST_COLUMNS, type WorklistColumn } from './columns.ts';
import { newStudyInstanceUid } from './study-uid.ts';
import { planUpserts, type ExistingRow } from './upsert-plan.ts';
import { identityKey, type WorklistEntry } from './worklist-entry.ts';
import { toWorklistError } from './worklist-schema.ts';

export interface BatchWriteResult {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly duplicateKeys: number;
  readonly duplicateRowIds: readonly number[];
}

/** Pylantir's ORM defaults, which its DDL lacks, so a raw insert must supply them. */
const INSERT_DEFAULTS: Partial<Record<WorklistColumn, string>> = { patient_weight_lb: '100', performed_procedure_step_status: 'SCHEDULED' };
const INSERT_COLUMNS = WORKLIST_COLUMNS.filter((c) => c !== 'id');
// Well under SQLite's 32766 bound variables per statement, and big enough that a batch is a handful of statements.
const ROWS_PER_STATEMENT = 400;
const KEYS_PER_LOOKUP = 900;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function findExisting(db: Database, entries: readonly WorklistEntry[]): Promise<ExistingRow[]> {
  const ids = [...new Set(entries.map((e) => e.patientId))];
  const rows: ExistingRow[] = [];
  for (const part of chunks(ids, KEYS_PER_LOOKUP)) {
    const sql = `SELECT id, patient_id, patient_name, data_source, scheduled_start_date, scheduled_start_time FROM worklist_items WHERE patient_id IN (${part.map(() => '?').join(',')})`;
    rows.push(...(await db.all<ExistingRow>(sql, part)));
  }
  return rows;
}

/** Inserts the rows and, for `owner`, links each new row to its record and instance, in the caller's transaction. */
async function insertRows(db: Database, entries: readonly WorklistEntry[], owner: string | undefined): Promise<void> {
  const placeholders = `(${INSERT_COLUMNS.map(() => '?').join(',')})`;
  for (const part of chunks(entries, ROWS_PER_STATEMENT)) {
    const values: SqlValue[] = [];
    for (const entry of part) {
      const row: Partial<Record<WorklistColumn, string>> = { ...INSERT_DEFAULTS, ...entry.columns, patient_id: entry.patientId, patient_name: entry.patientName, study_instance_uid: newStudyInstanceUid() };
      for (const column of INSERT_COLUMNS) values.push(row[column] ?? null);
    }
    const sql = `INSERT INTO worklist_items (${INSERT_COLUMNS.join(',')}) VALUES ${part.map(() => placeholders).join(',')} RETURNING id, patient_id, patient_name`;
    const inserted = await db.all<{ id: number; patient_id: string | null; patient_name: string | null }>(sql, values);
    if (owner !== undefined) await linkRows(db, owner, part, inserted);
  }
}

// A plan's inserts have distinct keys, so the key finds each new id (RETURNING promises no order).
async function linkRows(db: Database, owner: string, entries: readonly WorklistEntry[], inserted: readonly { id: number; patient_id: string | null; patient_name: string | null }[]): Promise<void> {
  const idByKey = new Map(inserted.map((r) => [identityKey(r.patient_id, r.patient_name), r.id]));
  const values: SqlValue[] = [];
  let rows = 0;
  for (const entry of entries) {
    const id = idByKey.get(identityKey(entry.patientId, entry.patientName));
    if (id === undefined || entry.origin === undefined) continue;
    values.push(id, owner, entry.origin.record, entry.origin.instance, entry.patientId, entry.patientName);
    rows++;
  }
  if (rows === 0) return;
  // OR REPLACE: a link left by a row that someone deleted, whose id SQLite then gave again, belongs to the new row.
  await db.run(`INSERT OR REPLACE INTO sync_runner_row_links (row_id, source, record, instance, patient_id, patient_name) VALUES ${Array.from({ length: rows }, () => '(?,?,?,?,?,?)').join(',')}`, values);
}

// One batch, one transaction: a kill at any instant leaves the batch (rows and their ownership links) either fully
// written or not at all. `owner` is the source name new rows are linked to; without it they are nobody's.
export async function writeBatch(db: Database, entries: readonly WorklistEntry[], owner?: string): Promise<BatchWriteResult> {
  if (entries.length === 0) return { inserted: 0, updated: 0, unchanged: 0, duplicateKeys: 0, duplicateRowIds: [] };
  try {
    return await db.transaction(async () => {
      const plan = planUpserts(entries, await findExisting(db, entries));
      await insertRows(db, plan.inserts, owner);
      for (const update of plan.updates) {
        const columns = Object.keys(update.set) as WorklistColumn[];
        await db.run(`UPDATE worklist_items SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...columns.map((c) => update.set[c] ?? null), update.id]);
      }
      return { inserted: plan.inserts.length, updated: plan.updates.length, unchanged: plan.unchanged, duplicateKeys: plan.duplicateKeys, duplicateRowIds: plan.duplicateRowIds };
    });
  } catch (error) {
    throw toWorklistError(error, db.path);
  }
}
