import type { RecordRows } from '../records.ts';

/** A slice of the export: whole records only, so a batch never splits a record's baseline from its MRI rows. */
export interface SourceBatch {
  readonly records: readonly RecordRows[];
}

// What every source type offers the sync loop: warnings found while opening it, and its batches, lazily.
export interface OpenedSource {
  readonly warnings: readonly string[];
  /** Records to come, when known up front (the API's id export); undefined for a file read as a stream. */
  readonly totalRecords: number | undefined;
  /** Informational facts for the log, e.g. the REDCap version or the file format. */
  readonly facts: Readonly<Record<string, string | number>>;
  readonly batches: AsyncIterable<SourceBatch>;
}

/** Readers hand rows over as strings only: REDCap sends repeat instances as numbers and files may hold null. */
export function toRawRow(value: unknown, keep: ReadonlySet<string> | undefined): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const row: Record<string, string> = {};
  for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
    if (keep !== undefined && !keep.has(key)) continue;
    row[key] = cell === null || cell === undefined ? '' : typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
  }
  return row;
}
