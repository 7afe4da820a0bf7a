import { normaliseDate, normaliseTime } from './dates.ts';
import { isEmptyValue } from './records.ts';
import { isMappableColumn, maxCharsOf, type EntryColumn, type WorklistColumn } from './worklist/columns.ts';
import type { WorklistEntry } from './worklist/worklist-entry.ts';

/** A Pylantir `protocol`: one name, or a name per site. */
export type ProtocolSetting = string | Readonly<Record<string, string>> | undefined;

export interface TransformSettings {
  readonly site: string;
  readonly protocol: ProtocolSetting;
  /** redcapField → worklist column. */
  readonly fieldMapping: Readonly<Record<string, string>>;
}

/** A column whose value is longer than the worklist keeps (COLUMN_MAX_CHARS), and where the value came from. */
export interface TooLong {
  readonly column: WorklistColumn;
  /** `field youth_dob_y`, or how an identity column is built. */
  readonly from: string;
  readonly length: number;
  readonly max: number;
}

export type TransformOutcome =
  | { readonly kind: 'entry'; readonly entry: WorklistEntry; readonly unreadable: readonly ('date' | 'time')[] }
  | { readonly kind: 'skipped'; readonly reason: 'missing study_id' }
  | { readonly kind: 'skipped'; readonly reason: 'value too long'; readonly tooLong: TooLong };

/** Pylantir writes its plugin's label, not the configured source name. */
const DATA_SOURCE_LABEL = 'REDCap';
export const DEFAULT_PROTOCOL = 'DEFAULT_PROTOCOL';

/** "ABC-0042" → "0042": the text after the last dash, as Pylantir parses study and family ids. */
export function afterLastDash(value: string): string {
  return value.slice(value.lastIndexOf('-') + 1);
}

export function resolveProtocol(protocol: ProtocolSetting, site: string): string {
  if (typeof protocol === 'string') return protocol;
  return protocol?.[site] ?? DEFAULT_PROTOCOL;
}

// Pure: one merged MRI row → the worklist entry Pylantir would write, with its date and time normalised.
export function toWorklistEntry(row: Readonly<Record<string, string>>, settings: TransformSettings): TransformOutcome {
  const studyId = row.study_id;
  if (isEmptyValue(studyId)) return { kind: 'skipped', reason: 'missing study_id' };
  const study = afterLastDash(studyId);
  const family = isEmptyValue(row.family_id) ? '' : afterLastDash(row.family_id);
  const session = row.mri_instance ?? '';
  const patientName = `cpip-id-${study}^fa-${family}`;
  const patientId = `sub_${study}_ses_${session}_fam_${family}_site_${settings.site}`;

  // Mapped values may override the defaults (as in Pylantir) but never the identity columns set last.
  const columns: Partial<Record<EntryColumn, string>> = { modality: 'MR', protocol_name: resolveProtocol(settings.protocol, settings.site) };
  const origin: Partial<Record<WorklistColumn, string>> = { protocol_name: 'the config\'s protocol' };
  const unreadable: ('date' | 'time')[] = [];
  for (const [field, column] of Object.entries(settings.fieldMapping)) {
    const value = row[field];
    if (isEmptyValue(value) || !isMappableColumn(column)) continue;
    columns[column] = value;
    origin[column] = `field ${field}`;
  }
  // A value we cannot read is kept as exported (Pylantir would too) and reported, never guessed at.
  if (columns.scheduled_start_date !== undefined) {
    const date = normaliseDate(columns.scheduled_start_date);
    if (date === undefined) unreadable.push('date');
    else columns.scheduled_start_date = date;
  }
  if (columns.scheduled_start_time !== undefined) {
    const time = normaliseTime(columns.scheduled_start_time);
    if (time === undefined) unreadable.push('time');
    else columns.scheduled_start_time = time;
  }
  columns.data_source = DATA_SOURCE_LABEL;
  origin.patient_name = 'built from study_id and family_id';
  origin.patient_id = 'built from study_id, mri_instance, family_id and the site';
  // The identity, held outside the columns, is checked after them as it is set last (data_source, now checked before
  // it, is a constant that always fits), so the refusal names the same column as ever.
  const tooLong = firstTooLong(columns, origin) ?? tooLongValue('patient_name', patientName, origin) ?? tooLongValue('patient_id', patientId, origin);
  if (tooLong !== undefined) return { kind: 'skipped', reason: 'value too long', tooLong };
  return { kind: 'entry', entry: { patientId, patientName, columns }, unreadable };
}

// A value past its column's cap refuses the whole row: a truncated patient id or date would point at someone else.
function firstTooLong(columns: Partial<Record<WorklistColumn, string>>, origin: Partial<Record<WorklistColumn, string>>): TooLong | undefined {
  for (const [column, value] of Object.entries(columns) as [WorklistColumn, string][]) {
    const tooLong = tooLongValue(column, value, origin);
    if (tooLong !== undefined) return tooLong;
  }
  return undefined;
}

function tooLongValue(column: WorklistColumn, value: string, origin: Partial<Record<WorklistColumn, string>>): TooLong | undefined {
  const max = maxCharsOf(column);
  return max !== undefined && value.length > max ? { column, from: origin[column] ?? 'a default', length: value.length, max } : undefined;
}
