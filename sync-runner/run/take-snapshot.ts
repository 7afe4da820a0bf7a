import { isEmptyValue, isMriInstrumentRow, type RecordRows } from '../records.ts';
import { interrupted } from '../sources/retry.ts';
import { wholeRecords, type SnapshotSource } from '../sources/snapshot-source.ts';
import { instanceKey, type Snapshot } from '../worklist/lifecycle-plan.ts';

/** Pure: folds one record's rows into `instances` (its instance keys → has a date and a time), merging what is there. */
export function addRecord(record: string, rows: RecordRows, instances: Map<string, boolean>): void {
  for (const row of rows) {
    if (!isMriInstrumentRow(row) || isEmptyValue(row.mri_instance)) continue;
    // Pylantir's rule for an MRI row: no date or no time, no worklist entry. Either cleared counts as date-cleared.
    const dated = !isEmptyValue(row.mri_date) && !isEmptyValue(row.mri_time);
    const key = instanceKey(record, row.mri_instance);
    instances.set(key, (instances.get(key) ?? false) || dated);
  }
}

// Reads a snapshot to its end, keeping only the records that own rows (so memory follows the worklist, not the
// project) and the count of all. Any failure of the read becomes `incomplete`, which the plan refuses; an interruption
// stays one.
export async function takeSnapshot(open: () => Promise<SnapshotSource>, ownedRecords: ReadonlySet<string>, signal: AbortSignal): Promise<Snapshot> {
  const present = new Set<string>();
  const instances = new Map<string, boolean>();
  let seen = 0;
  let listed: number | undefined;
  try {
    const source = await open();
    listed = source.listedRecords;
    const idField = source.idField;
    for await (const batch of source.batches) {
      const records = wholeRecords(batch);
      if (typeof records === 'string') return { records: listed ?? seen, present, instances, incomplete: records };
      for (const rows of records) {
        seen++;
        const id = rows[0]?.[idField];
        if (id === undefined || !ownedRecords.has(id)) continue;
        present.add(id);
        addRecord(id, rows, instances);
      }
    }
    if (signal.aborted) throw interrupted(signal.reason);
  } catch (error) {
    if (signal.aborted) throw interrupted(error);
    return { records: listed ?? seen, present, instances, incomplete: error instanceof Error ? error.message : String(error) };
  }
  if (listed !== undefined && seen < listed) return { records: listed, present, instances, incomplete: `${seen} of the ${listed} listed records were read` };
  return { records: listed ?? seen, present, instances };
}
