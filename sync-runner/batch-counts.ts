// What one batch's transform kept and skipped, and why, as plain counts: a source's totals are their sum.

/** A value a worklist row cannot be built from, named by record and field; the value itself is never kept. */
export interface Refusal {
  readonly recordId: string;
  readonly field: string;
  readonly problem: string;
}

/** Enough examples to find the records; a bad export of 100k rows still makes one short line. */
export const MAX_REFUSAL_EXAMPLES = 5;

export interface BatchCounts {
  /** Records in the batch, a record left with no usable row included (it was still fetched). */
  readonly records: number;
  /** MRI rows met: every complete MRI row, and every MRI row refused with its record or for its own value. */
  readonly mriRows: number;
  /** MRI rows skipped because they have no study_id. */
  readonly missingStudyId: number;
  /** MRI rows skipped because a value they need was refused (not text, or too long for its worklist column). */
  readonly refusedRows: number;
  /** Values refused, one per field; the first MAX_REFUSAL_EXAMPLES of them, in export order, as examples. */
  readonly refusals: number;
  readonly refusalExamples: readonly Refusal[];
  /** Dates and times kept as exported because no known format reads them. */
  readonly unreadableDates: number;
  readonly unreadableTimes: number;
}

export const NO_BATCH_COUNTS: BatchCounts = {
  records: 0,
  mriRows: 0,
  missingStudyId: 0,
  refusedRows: 0,
  refusals: 0,
  refusalExamples: [],
  unreadableDates: 0,
  unreadableTimes: 0,
};

/** Pure: the counts of two batches together; the examples stay the first ones, in order. */
export function addBatchCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  return {
    records: a.records + b.records,
    mriRows: a.mriRows + b.mriRows,
    missingStudyId: a.missingStudyId + b.missingStudyId,
    refusedRows: a.refusedRows + b.refusedRows,
    refusals: a.refusals + b.refusals,
    refusalExamples: a.refusalExamples.length >= MAX_REFUSAL_EXAMPLES ? a.refusalExamples : [...a.refusalExamples, ...b.refusalExamples].slice(0, MAX_REFUSAL_EXAMPLES),
    unreadableDates: a.unreadableDates + b.unreadableDates,
    unreadableTimes: a.unreadableTimes + b.unreadableTimes,
  };
}

/** Every MRI row not written: no study_id, or refused. */
export const skippedRows = (counts: BatchCounts): number => counts.missingStudyId + counts.refusedRows;
