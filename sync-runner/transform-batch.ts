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

/**
 * The record's values refused for their JSON type, counted; the first of them, named by the first id the record's rows
 * hold, go into `examples` until it holds MAX_REFUSAL_EXAMPLES (a bad export of 100k rows keeps five).
 */
function countValueRefusals(record: ReadRecord, idField: string, examples: Refusal[]): number {
  let count = 0;
  let recordId: string | undefined;
  for (const read of record) {
    count += read.refused.length;
    for (const { field, problem } of read.refused) {
      if (examples.length >= MAX_REFUSAL_EXAMPLES) break;
      recordId ??= record.find((r) => r.row[idField] !== undefined)?.row[idField] ?? NO_READABLE_ID;
      examples.push({ recordId, field, problem });
    }
  }
  return count;
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
  let refusals = 0;
  let mriRows = 0;
  let missingStudyId = 0;
  let refusedRows = 0;
  let unreadableDates = 0;
  let unreadableTimes = 0;
  for (const record of records) {
    refusals += countValueRefusals(record, settings.idField, notText);
    const { sessions, refusedMriRows } = mergeRecord(record);
    mriRows += refusedMriRows + sessions.length;
    refusedRows += refusedMriRows;
    for (const row of sessions) {
      const outcome = toWorklistEntry(row, settings);
      const recordId = row[settings.idField];
      if (outcome.kind === 'skipped' && outcome.reason === 'missing study_id') missingStudyId++;
      else if (outcome.kind === 'skipped') {
        if (tooLong.length < MAX_REFUSAL_EXAMPLES) tooLong.push(tooLongRefusal(recordId, outcome.tooLong));
        refusals++;
        refusedRows++;
      } else {
        if (outcome.unreadable.includes('date')) unreadableDates++;
        if (outcome.unreadable.includes('time')) unreadableTimes++;
        const instance = row.mri_instance;
        entries.push(recordId === undefined || instance === undefined ? outcome.entry : { ...outcome.entry, origin: { record: recordId, instance } });
      }
    }
  }
  // The batch's values that are not text come first in the examples, then its values too long: the order the warning
  // has always had, since values were screened before rows were transformed.
  const refusalExamples = [...notText, ...tooLong].slice(0, MAX_REFUSAL_EXAMPLES);
  const counts = { records: records.length, mriRows, missingStudyId, refusedRows, refusals, refusalExamples, unreadableDates, unreadableTimes };
  return { entries, counts };
}
