// Pure: REDCap's flat export (one row per record × repeat instance) turned into one merged row per MRI session.

/** One exported row; readers turn numbers to strings and null to "" before it gets here. */
export type RawRow = Readonly<Record<string, string>>;

/** Every row of one record, in export order. */
export type RecordRows = readonly RawRow[];

// pandas-era exports and hand-edited files carry "NaN" for empty cells; Pylantir treats it as empty too.
export function isEmptyValue(value: string | undefined): value is undefined {
  if (value === undefined) return true;
  const text = value.trim();
  return text === '' || text === 'NaN' || text === 'nan';
}

/** The instrument name REDCap gives to repeating MRI sessions. */
const MRI_INSTRUMENT = 'mri';

/** The record's own row, the one without a repeat instrument, whose values every MRI row inherits. */
export const isBaselineRow = (row: RawRow): boolean => isEmptyValue(row.redcap_repeat_instrument);

/** A row of the MRI instrument, complete or not. */
export const isMriInstrumentRow = (row: RawRow): boolean => row.redcap_repeat_instrument === MRI_INSTRUMENT;

function isMriRow(row: RawRow): boolean {
  return isMriInstrumentRow(row) && !isEmptyValue(row.mri_instance) && !isEmptyValue(row.mri_date) && !isEmptyValue(row.mri_time);
}

/**
 * Each MRI row of a record, with every empty value filled from the record's baseline row (the one without a repeat
 * instrument). Values absent from both are left out, so callers never see "" or "NaN".
 */
export function mergeMriRows(rows: RecordRows): Record<string, string>[] {
  const baseline = rows.find(isBaselineRow) ?? {};
  const merged: Record<string, string>[] = [];
  for (const row of rows) {
    if (!isMriRow(row)) continue;
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(baseline)) if (!isEmptyValue(value)) out[field] = value;
    for (const [field, value] of Object.entries(row)) if (!isEmptyValue(value)) out[field] = value;
    merged.push(out);
  }
  return merged;
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
