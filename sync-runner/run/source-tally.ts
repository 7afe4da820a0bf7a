import type { SourceResult } from '../../shared/protocol.ts';
import type { BatchWriteResult } from '../worklist/upsert-batch.ts';

// Counts for one source's result, and the warnings worth one line each (counts only, never record contents).
export class SourceTally {
  fetched = 0;
  mriRows = 0;
  inserted = 0;
  updated = 0;
  unchanged = 0;
  skipped = 0;
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

  /** Pure: the warning lines implied by the counts. */
  summaryWarnings(): string[] {
    const out = [...this.warnings];
    if (this.skipped > 0) out.push(`${this.skipped} MRI row(s) skipped: no study_id`);
    if (this.unreadableDates > 0) out.push(`${this.unreadableDates} MRI date(s) not in a recognised date format; stored as exported`);
    if (this.unreadableTimes > 0) out.push(`${this.unreadableTimes} MRI time(s) not in a recognised time format; stored as exported`);
    if (this.emptyBatches > 0) out.push(`${this.emptyBatches} batch(es) came back empty (records deleted since the id export?)`);
    if (this.duplicateKeys > 0) {
      out.push(`${this.duplicateKeys} worklist key(s) already had duplicate rows; updated the lowest id of each, left rows ${this.duplicateRowIds.join(', ')}${this.duplicateRowsSeen > this.duplicateRowIds.length ? ', …' : ''} untouched`);
    }
    return out;
  }

  toResult(name: string, status: SourceResult['status'], durationMs: number, extra: Pick<SourceResult, 'reason' | 'error'> = {}): SourceResult {
    const { fetched, mriRows, inserted, updated, unchanged, skipped } = this;
    return { name, status, ...extra, fetched, mriRows, inserted, updated, unchanged, skipped, warnings: this.summaryWarnings(), durationMs };
  }
}
