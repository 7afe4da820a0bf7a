import type { ReadRow, RefusedValue } from '../records.ts';

function jsonTypeOf(cell: unknown): string {
  if (cell === null) return 'null';
  if (Array.isArray(cell)) return 'an array';
  return typeof cell === 'object' ? 'an object' : `a ${typeof cell}`;
}

/**
 * Pure: REDCap exports every value as text (and repeat instances as numbers), so those are kept as strings. Anything
 * else (object, array, boolean, null) is refused, never stringified: "[object Object]" or a JSON blob would otherwise
 * become part of a patient id. Undefined for an item that is not a record at all. What a refusal costs (the row, or the
 * whole record when it is the baseline) is decided with the rest of the baseline/MRI rule, in records.ts.
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
