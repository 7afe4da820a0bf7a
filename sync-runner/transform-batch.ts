import { MAX_REFUSAL_EXAMPLES, type BatchCounts, type Refusal } from './batch-counts.ts';
import { mergeRecord, type ReadRecord } from './records.ts';
import { toWorklistEntry, type TooLong, type TransformSettings } from './transform.ts';
import type { WorklistEntry } from './worklist/worklist-entry.ts';

export interface BatchSettings extends TransformSettings {
  /** The field that holds the record id, to name a record in a refusal and link a new row to it. */
  readonly idField: string;
}

export interface TransformedBatch {
  readonly entries: WorklistEntry[];
  readonly counts: BatchCounts;
}

const NO_READABLE_ID = '(no readable id)';

/** Adds the record's values refused for their JSON type to `out`, named by the first id the record's rows hold. */
function addValueRefusals(record: ReadRecord, idField: string, out: Refusal[]): void {
  let recordId: string | undefined;
  for (const read of record) {
    if (read.refused.length === 0) continue;
    recordId ??= record.find((r) => r.row[idField] !== undefined)?.row[idField] ?? NO_READABLE_ID;
    for (const { field, problem } of read.refused) out.push({ recordId, field, problem });
  }
}

const tooLongRefusal = (recordId: string | undefined, { column, from, length, max }: TooLong): Refusal => ({
  recordId: recordId ?? NO_READABLE_ID,
  field: `${column} (${from})`,
  problem: `is ${length} characters, at most ${max}`,
});

// Pure: whole records as a source read them → the worklist entries Pylantir would write, and the counts of what was
// kept and skipped and why. The baseline/MRI rule (records.ts) is applied here and nowhere else in a sync.
export function transformBatch(records: readonly ReadRecord[], settings: BatchSettings): TransformedBatch {
  const entries: WorklistEntry[] = [];
  const notText: Refusal[] = [];
  const tooLong: Refusal[] = [];
  let mriRows = 0;
  let missingStudyId = 0;
  let refusedRows = 0;
  let unreadableDates = 0;
  let unreadableTimes = 0;
  for (const record of records) {
    addValueRefusals(record, settings.idField, notText);
    const { sessions, refusedMriRows } = mergeRecord(record);
    mriRows += refusedMriRows + sessions.length;
    refusedRows += refusedMriRows;
    for (const row of sessions) {
      const outcome = toWorklistEntry(row, settings);
      const recordId = row[settings.idField];
      if (outcome.kind === 'skipped' && outcome.reason === 'missing study_id') missingStudyId++;
      else if (outcome.kind === 'skipped') {
        tooLong.push(tooLongRefusal(recordId, outcome.tooLong));
        refusedRows++;
      } else {
        if (outcome.unreadable.includes('date')) unreadableDates++;
        if (outcome.unreadable.includes('time')) unreadableTimes++;
        const instance = row.mri_instance;
        entries.push(recordId === undefined || instance === undefined ? outcome.entry : { ...outcome.entry, origin: { record: recordId, instance } });
      }
    }
  }
  // Values that are not text come first in the examples, then values too long, as a source's warning lists them.
  const refusalExamples = [...notText.slice(0, MAX_REFUSAL_EXAMPLES), ...tooLong.slice(0, MAX_REFUSAL_EXAMPLES)].slice(0, MAX_REFUSAL_EXAMPLES);
  const counts = { records: records.length, mriRows, missingStudyId, refusedRows, refusals: notText.length + tooLong.length, refusalExamples, unreadableDates, unreadableTimes };
  return { entries, counts };
}
