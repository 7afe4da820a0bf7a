import type { RecordRows } from '../records.ts';

/** A value a worklist row cannot be built from, named by record and field; the value itself is never kept. */
export interface Refusal {
  readonly recordId: string;
  readonly field: string;
  readonly problem: string;
}

/** A slice of the export: whole records only, so a batch never splits a record's baseline from its MRI rows. */
export interface SourceBatch {
  readonly records: readonly RecordRows[];
  /** Values refused for their JSON type, one per field; the rows that held them are not in `records`. */
  readonly refusals: readonly Refusal[];
  /** MRI rows left out of `records` with those refusals. */
  readonly refusedMriRows: number;
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
