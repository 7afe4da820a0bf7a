import { normaliseDate, normaliseTime } from './dates.ts';
import { isEmptyValue } from './records.ts';
import { isMappableColumn, type WorklistColumn } from './worklist/columns.ts';

/** A Pylantir `protocol`: one name, or a name per site. */
export type ProtocolSetting = string | Readonly<Record<string, string>> | undefined;

export interface TransformSettings {
  readonly site: string;
  readonly protocol: ProtocolSetting;
  /** redcapField → worklist column. */
  readonly fieldMapping: Readonly<Record<string, string>>;
}

/** A worklist row as the sync wants it, minus what only an insert adds (UID, weight default, status). */
export interface WorklistEntry {
  readonly patientId: string;
  readonly patientName: string;
  readonly columns: Readonly<Partial<Record<WorklistColumn, string>>>;
}

export type TransformOutcome =
  | { readonly kind: 'entry'; readonly entry: WorklistEntry; readonly unreadable: readonly ('date' | 'time')[] }
  | { readonly kind: 'skipped'; readonly reason: 'missing study_id' };

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
  const columns: Partial<Record<WorklistColumn, string>> = { modality: 'MR', protocol_name: resolveProtocol(settings.protocol, settings.site) };
  const unreadable: ('date' | 'time')[] = [];
  for (const [field, column] of Object.entries(settings.fieldMapping)) {
    const value = row[field];
    if (isEmptyValue(value) || !isMappableColumn(column)) continue;
    columns[column] = value;
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
  columns.patient_name = patientName;
  columns.patient_id = patientId;
  columns.data_source = DATA_SOURCE_LABEL;
  return { kind: 'entry', entry: { patientId, patientName, columns }, unreadable };
}
