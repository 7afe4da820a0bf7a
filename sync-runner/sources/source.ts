import type { ReadRecord } from '../records.ts';

/**
 * A slice of the export: whole records only, so a batch never splits a record's baseline from its MRI rows. Rows
 * come as read, values refused for their JSON type beside them; what a refusal costs is the reader's to decide
 * (transformBatch for a sync, wholeRecords for the lifecycle snapshot).
 */
export interface SourceBatch {
  readonly records: readonly ReadRecord[];
}

// What every source type offers the sync loop: warnings found while opening it, and its batches, lazily.
export interface OpenedSource {
  readonly warnings: readonly string[];
  /** Records to come, when known up front (the API's id export); undefined for a file read as a stream. */
  readonly totalRecords: number | undefined;
  /** The field that holds the record id, to name a record in a warning. */
  readonly idField: string;
  /** Informational facts for the log, e.g. the REDCap version or the file format. */
  readonly facts: Readonly<Record<string, string | number>>;
  readonly batches: AsyncIterable<SourceBatch>;
}
