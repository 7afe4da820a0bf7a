import type { RecordRows } from '../records.ts';
import type { SourceBatch } from './source.ts';

/** The fields a snapshot asks for on top of the record id: enough to tell which MRI visits exist and have a date. */
export const SNAPSHOT_FIELDS = ['mri_instance', 'mri_date', 'mri_time'] as const;

/**
 * A light read of the whole project, for the lifecycle step: every record, each with its identifying fields only.
 * A reader that cannot vouch for what it read throws (SNAPSHOT_INCOMPLETE or the request's own error).
 */
export interface SnapshotSource {
  readonly idField: string;
  /** Records the project lists, when known up front (the API's id export); otherwise counted as they are read. */
  readonly listedRecords: number | undefined;
  readonly batches: AsyncIterable<SourceBatch>;
}

/** Pure: a batch's records when no value was refused, or a reason the snapshot cannot be trusted. */
export function wholeRecords(batch: SourceBatch): readonly RecordRows[] | string {
  let refused = 0;
  for (const record of batch.records) for (const read of record) refused += read.refused.length;
  if (refused > 0) return `${refused} value(s) in the snapshot are not text, so their rows could not be read`;
  return batch.records.map((record) => record.map((read) => read.row));
}
