import type { SourceResult } from '../../shared/protocol.ts';
import type { Refusal } from '../sources/source.ts';
import type { BatchWriteResult } from '../worklist/upsert-batch.ts';

/** Enough examples to find the records; a bad export of 100k rows still makes one short line. */
const MAX_REFUSAL_EXAMPLES = 5;
/** Record ids are printed, never values; a hostile id is cut to this. */
const MAX_ID_CHARS = 40;

const quoteId = (id: string) => JSON.stringify(id.length > MAX_ID_CHARS ? `${id.slice(0, MAX_ID_CHARS)}…` : id);

// Counts for one source's result, and the warnings worth one line each (counts and record ids, never values).
export class SourceTally {
  fetched = 0;
  mriRows = 0;
  inserted = 0;
  updated = 0;
  unchanged = 0;
  /** Every MRI row not written: no study_id, or refused. */
  skipped = 0;
  missingStudyId = 0;
  /** MRI rows skipped because a value they need was refused. */
  refusedRows = 0;
  refusals = 0;
  readonly refusalExamples: string[] = [];
  unreadableDates = 0;
  unreadableTimes = 0;
  emptyBatches = 0;
  duplicateKeys = 0;
  readonly duplicateRowIds: number[] = [];
  private duplicateRowsSeen = 0;
  readonly warnings: string[] = [];

  addWrite(write: BatchWriteResult): void {
    this.inserted += write.inserted;
    this.updated += write.updated;
    this.unchanged += write.unchanged;
    this.duplicateKeys += write.duplicateKeys;
    // A handful of ids is enough to find the rows; thousands would only bloat the result.
    this.duplicateRowsSeen += write.duplicateRowIds.length;
    for (const id of write.duplicateRowIds) if (this.duplicateRowIds.length < 20) this.duplicateRowIds.push(id);
  }

  /** Values a worklist row cannot be built from, and the MRI rows skipped for them (already counted in mriRows). */
  addRefusals(refusals: readonly Refusal[], skippedMriRows: number): void {
    this.refusedRows += skippedMriRows;
    this.skipped += skippedMriRows;
    for (const refusal of refusals) {
      this.refusals++;
      if (this.refusalExamples.length < MAX_REFUSAL_EXAMPLES) this.refusalExamples.push(`record ${quoteId(refusal.recordId)}: ${refusal.field} ${refusal.problem}`);
    }
  }

  /** Pure: the warning lines implied by the counts. */
  summaryWarnings(): string[] {
    const out = [...this.warnings];
    if (this.missingStudyId > 0) out.push(`${this.missingStudyId} MRI row(s) skipped: no study_id`);
    if (this.refusals > 0) {
      const more = this.refusals > this.refusalExamples.length ? `; and ${this.refusals - this.refusalExamples.length} more` : '';
      out.push(`${this.refusedRows} MRI row(s) skipped for ${this.refusals} value(s) that are not text or too long for their worklist column: ${this.refusalExamples.join('; ')}${more}`);
    }
    if (this.unreadableDates > 0) out.push(`${this.unreadableDates} MRI date(s) not in a recognised date format; stored as exported`);
    if (this.unreadableTimes > 0) out.push(`${this.unreadableTimes} MRI time(s) not in a recognised time format; stored as exported`);
    if (this.emptyBatches > 0) out.push(`${this.emptyBatches} batch(es) came back empty (records deleted since the id export?)`);
    if (this.duplicateKeys > 0) {
      out.push(`${this.duplicateKeys} worklist key(s) already had duplicate rows; updated the lowest id of each, left rows ${this.duplicateRowIds.join(', ')}${this.duplicateRowsSeen > this.duplicateRowIds.length ? ', …' : ''} untouched`);
    }
    return out;
  }

  toResult(name: string, status: SourceResult['status'], durationMs: number, extra: Pick<SourceResult, 'reason' | 'error' | 'lifecycle'> = {}): SourceResult {
    const { fetched, mriRows, inserted, updated, unchanged, skipped } = this;
    return { name, status, ...extra, fetched, mriRows, inserted, updated, unchanged, skipped, warnings: this.summaryWarnings(), durationMs };
  }
}
