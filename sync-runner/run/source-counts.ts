import type { SourceResult } from '../../shared/protocol.ts';
import { addBatchCounts, NO_BATCH_COUNTS, skippedRows, type BatchCounts } from '../batch-counts.ts';
import type { BatchWriteResult } from '../worklist/upsert-batch.ts';

/** A handful of ids is enough to find the rows; thousands would only bloat the result. */
const MAX_DUPLICATE_ROW_IDS = 20;
/** Record ids are printed, never values; a hostile id is cut to this. */
const MAX_ID_CHARS = 40;

/** One source's totals so far: its batches' transform counts, their writes, and the batches that came back empty. */
export interface SourceCounts {
  readonly transformed: BatchCounts;
  readonly emptyBatches: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly duplicateKeys: number;
  /** The first MAX_DUPLICATE_ROW_IDS rows left untouched beside a duplicate key, and how many there were. */
  readonly duplicateRowIds: readonly number[];
  readonly duplicateRowsSeen: number;
}

export const NO_COUNTS: SourceCounts = { transformed: NO_BATCH_COUNTS, emptyBatches: 0, inserted: 0, updated: 0, unchanged: 0, duplicateKeys: 0, duplicateRowIds: [], duplicateRowsSeen: 0 };

/** Pure: the totals with one more batch transformed (added before its write, so a failed write still counts it). */
export function addTransformed(total: SourceCounts, batch: BatchCounts): SourceCounts {
  return { ...total, transformed: addBatchCounts(total.transformed, batch), emptyBatches: total.emptyBatches + (batch.records === 0 ? 1 : 0) };
}

/** Pure: the totals with one more batch written. */
export function addWrite(total: SourceCounts, write: BatchWriteResult): SourceCounts {
  return {
    ...total,
    inserted: total.inserted + write.inserted,
    updated: total.updated + write.updated,
    unchanged: total.unchanged + write.unchanged,
    duplicateKeys: total.duplicateKeys + write.duplicateKeys,
    duplicateRowIds: [...total.duplicateRowIds, ...write.duplicateRowIds].slice(0, MAX_DUPLICATE_ROW_IDS),
    duplicateRowsSeen: total.duplicateRowsSeen + write.duplicateRowIds.length,
  };
}

const quoteId = (id: string) => JSON.stringify(id.length > MAX_ID_CHARS ? `${id.slice(0, MAX_ID_CHARS)}…` : id);

/** Pure: the warnings met on the way, then one line for each kind of row not written or written with a doubt. */
export function summaryWarnings(counts: SourceCounts, warnings: readonly string[]): string[] {
  const t = counts.transformed;
  const out = [...warnings];
  if (t.missingStudyId > 0) out.push(`${t.missingStudyId} MRI row(s) skipped: no study_id`);
  if (t.refusals > 0) {
    const examples = t.refusalExamples.map((r) => `record ${quoteId(r.recordId)}: ${r.field} ${r.problem}`);
    const more = t.refusals > examples.length ? `; and ${t.refusals - examples.length} more` : '';
    out.push(`${t.refusedRows} MRI row(s) skipped for ${t.refusals} value(s) that are not text or too long for their worklist column: ${examples.join('; ')}${more}`);
  }
  if (t.unreadableDates > 0) out.push(`${t.unreadableDates} MRI date(s) not in a recognised date format; stored as exported`);
  if (t.unreadableTimes > 0) out.push(`${t.unreadableTimes} MRI time(s) not in a recognised time format; stored as exported`);
  if (counts.emptyBatches > 0) out.push(`${counts.emptyBatches} batch(es) came back empty (records deleted since the id export?)`);
  if (counts.duplicateKeys > 0) {
    const more = counts.duplicateRowsSeen > counts.duplicateRowIds.length ? ', …' : '';
    out.push(`${counts.duplicateKeys} worklist key(s) already had duplicate rows; updated the lowest id of each, left rows ${counts.duplicateRowIds.join(', ')}${more} untouched`);
  }
  return out;
}

export type ResultExtra = Pick<SourceResult, 'reason' | 'error' | 'lifecycle'>;

/** Pure: the result a source sends over the channel and the run log prints. */
export function toSourceResult(name: string, status: SourceResult['status'], durationMs: number, counts: SourceCounts, warnings: readonly string[], extra: ResultExtra = {}): SourceResult {
  const { inserted, updated, unchanged } = counts;
  const { records: fetched, mriRows } = counts.transformed;
  return { name, status, ...extra, fetched, mriRows, inserted, updated, unchanged, skipped: skippedRows(counts.transformed), warnings: summaryWarnings(counts, warnings), durationMs };
}
