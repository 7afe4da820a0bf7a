import { isBaselineRow, isMriInstrumentRow, type RawRow } from '../records.ts';
import type { Refusal, SourceBatch } from './source.ts';

/** A field whose exported value is not text, and what it was instead ("an object", "null"…). */
export interface RefusedValue {
  readonly field: string;
  readonly problem: string;
}

/** One export row as read: its text values, and the fields left out of them because of their JSON type. */
export interface ReadRow {
  readonly row: RawRow;
  readonly refused: readonly RefusedValue[];
}

function jsonTypeOf(cell: unknown): string {
  if (cell === null) return 'null';
  if (Array.isArray(cell)) return 'an array';
  return typeof cell === 'object' ? 'an object' : `a ${typeof cell}`;
}

/**
 * Pure: REDCap exports every value as text (and repeat instances as numbers), so those are kept as strings. Anything
 * else (object, array, boolean, null) is refused, never stringified: "[object Object]" or a JSON blob would otherwise
 * become part of a patient id. Undefined for an item that is not a record at all.
 */
export function readRow(value: unknown, keep: ReadonlySet<string> | undefined): ReadRow | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const row: Record<string, string> = {};
  const refused: RefusedValue[] = [];
  for (const [field, cell] of Object.entries(value as Record<string, unknown>)) {
    if (keep !== undefined && !keep.has(field)) continue;
    if (typeof cell === 'string') row[field] = cell;
    else if (typeof cell === 'number') row[field] = String(cell);
    else refused.push({ field, problem: `is ${jsonTypeOf(cell)}, not text` });
  }
  return { row, refused };
}

/**
 * Pure: the rows of one record a worklist can be built from. A refused MRI row goes alone; a refused baseline row
 * takes the whole record with it, because every MRI row is filled in from the baseline's values.
 */
export function screenRecord(rows: readonly ReadRow[], idField: string): { rows: RawRow[]; refusals: Refusal[]; refusedMriRows: number } {
  const recordId = rows.find((r) => r.row[idField] !== undefined)?.row[idField] ?? '(no readable id)';
  const refusals = rows.flatMap((r) => r.refused.map(({ field, problem }) => ({ recordId, field, problem })));
  if (refusals.length === 0) return { rows: rows.map((r) => r.row), refusals, refusedMriRows: 0 };
  const wholeRecord = rows.some((r) => r.refused.length > 0 && isBaselineRow(r.row));
  const dropped = wholeRecord ? rows : rows.filter((r) => r.refused.length > 0);
  return {
    rows: wholeRecord ? [] : rows.filter((r) => r.refused.length === 0).map((r) => r.row),
    refusals,
    refusedMriRows: dropped.filter((r) => isMriInstrumentRow(r.row)).length,
  };
}

/** Pure: a batch of whole records, each screened; a record left with no row stays in, so it still counts as fetched. */
export function screenBatch(records: Iterable<readonly ReadRow[]>, idField: string): SourceBatch {
  const kept: RawRow[][] = [];
  const refusals: Refusal[] = [];
  let refusedMriRows = 0;
  for (const record of records) {
    const screened = screenRecord(record, idField);
    kept.push(screened.rows);
    refusals.push(...screened.refusals);
    refusedMriRows += screened.refusedMriRows;
  }
  return { records: kept, refusals, refusedMriRows };
}
