import { UPDATABLE_COLUMNS, type WorklistColumn } from './columns.ts';
import { identityKey, type WorklistEntry } from './worklist-entry.ts';

/** The parts of an existing row the plan needs. */
export interface ExistingRow {
  readonly id: number;
  readonly patient_id: string | null;
  readonly patient_name: string | null;
  readonly data_source: string | null;
  readonly scheduled_start_date: string | null;
  readonly scheduled_start_time: string | null;
}

export interface RowUpdate {
  readonly id: number;
  readonly set: Readonly<Partial<Record<WorklistColumn, string>>>;
}

export interface UpsertPlan {
  readonly inserts: readonly WorklistEntry[];
  readonly updates: readonly RowUpdate[];
  readonly unchanged: number;
  /** Keys that already had several rows: the lowest id was updated, the others left alone. */
  readonly duplicateKeys: number;
  readonly duplicateRowIds: readonly number[];
}

// Pure: decides, for one batch, which entries are new rows and which existing rows change, and how.
// An existing row only ever gets data_source and the scheduled date/time, and only when they differ;
// its status and every other column stay as Pylantir's MWL server (or a person) left them.
export function planUpserts(entries: readonly WorklistEntry[], existing: readonly ExistingRow[]): UpsertPlan {
  // Later entries for the same key win, as the second of two writes in one Pylantir sync would.
  const wanted = new Map<string, WorklistEntry>();
  for (const entry of entries) wanted.set(identityKey(entry.patientId, entry.patientName), entry);

  const rowsByKey = new Map<string, ExistingRow[]>();
  for (const row of existing) {
    const key = identityKey(row.patient_id, row.patient_name);
    const rows = rowsByKey.get(key);
    if (rows) rows.push(row);
    else rowsByKey.set(key, [row]);
  }

  const inserts: WorklistEntry[] = [];
  const updates: RowUpdate[] = [];
  const duplicateRowIds: number[] = [];
  let unchanged = 0;
  let duplicateKeys = 0;
  for (const [key, entry] of wanted) {
    const rows = rowsByKey.get(key);
    if (rows === undefined || rows.length === 0) {
      inserts.push(entry);
      continue;
    }
    const [target, ...others] = [...rows].sort((a, b) => a.id - b.id);
    if (target === undefined) continue;
    if (others.length > 0) {
      duplicateKeys += 1;
      duplicateRowIds.push(...others.map((r) => r.id));
    }
    const set: Partial<Record<WorklistColumn, string>> = {};
    for (const column of UPDATABLE_COLUMNS) {
      const value = entry.columns[column];
      if (value !== undefined && value !== target[column]) set[column] = value;
    }
    if (Object.keys(set).length > 0) updates.push({ id: target.id, set });
    else unchanged += 1;
  }
  return { inserts, updates, unchanged, duplicateKeys, duplicateRowIds };
}
