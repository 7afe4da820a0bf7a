// Pure: REDCap's flat export (one row per record × repeat instance) turned into one merged row per MRI session.

/** One exported row; readers turn numbers to strings and leave out (refuse) any other value that is not text. */
export type RawRow = Readonly<Record<string, string>>;

/** Every row of one record, in export order. */
export type RecordRows = readonly RawRow[];

// pandas-era exports and hand-edited files carry "NaN" for empty cells; Pylantir treats it as empty too.
export function isEmptyValue(value: string | undefined): value is undefined {
  if (value === undefined) return true;
  const text = value.trim();
  return text === '' || text === 'NaN' || text === 'nan';
}

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

/** Every row of one record as read, in export order. */
export type ReadRecord = readonly ReadRow[];

/** The instrument name REDCap gives to repeating MRI sessions. */
const MRI_INSTRUMENT = 'mri';

/** The record's own row, the one without a repeat instrument, whose values every MRI row inherits. */
const isBaselineRow = (row: RawRow): boolean => isEmptyValue(row.redcap_repeat_instrument);

/** A row of the MRI instrument, complete or not. */
export const isMriInstrumentRow = (row: RawRow): boolean => row.redcap_repeat_instrument === MRI_INSTRUMENT;

/** An MRI row Pylantir makes a worklist entry of: it has an instance, a date and a time. */
const isSessionRow = (row: RawRow): boolean => !isEmptyValue(row.mri_instance) && !isEmptyValue(row.mri_date) && !isEmptyValue(row.mri_time);

export interface MergedRecord {
  /** One row per MRI session, every empty value filled from the baseline; values absent from both are left out. */
  readonly sessions: Record<string, string>[];
  /** MRI-instrument rows (complete or not) left out because a value they need was refused. */
  readonly refusedMriRows: number;
}

/**
 * Pure: the baseline/MRI rule, in the one place it is applied. Each complete MRI row of a record, with every empty
 * value filled from the record's first baseline row, so callers never see "" or "NaN". A row with a refused value
 * goes alone; a refused baseline takes every MRI row of the record, because each would inherit its values.
 */
export function mergeRecord(rows: ReadRecord): MergedRecord {
  let baseline: RawRow | undefined;
  let baselineRefused = false;
  const mriRows: ReadRow[] = [];
  for (const read of rows) {
    if (isBaselineRow(read.row)) {
      baseline ??= read.row;
      baselineRefused ||= read.refused.length > 0;
    } else if (isMriInstrumentRow(read.row)) mriRows.push(read);
  }
  if (baselineRefused) return { sessions: [], refusedMriRows: mriRows.length };
  const sessions: Record<string, string>[] = [];
  let refusedMriRows = 0;
  for (const { row, refused } of mriRows) {
    if (refused.length > 0) refusedMriRows++;
    else if (isSessionRow(row)) sessions.push(filledFrom(baseline ?? {}, row));
  }
  return { sessions, refusedMriRows };
}

function filledFrom(baseline: RawRow, row: RawRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(baseline)) if (!isEmptyValue(value)) out[field] = value;
  for (const [field, value] of Object.entries(row)) if (!isEmptyValue(value)) out[field] = value;
  return out;
}

/** Pure: groups rows that share a record id, keeping first-seen order (an API batch may interleave them). */
export function groupByRecord<T>(rows: Iterable<T>, idOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = idOf(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return [...groups.values()];
}
