// Pure: which REDCap fields a source asks for, and which of them the project does not have.

/** Fields Pylantir always requests on top of the mapping's keys. */
const DEFAULT_FIELDS = ['record_id', 'study_id', 'redcap_repeat_instrument', 'mri_instance', 'mri_date', 'mri_time', 'family_id', 'youth_dob_y', 'demo_sex'] as const;

// REDCap adds these columns itself; they are never metadata fields and are never requested by name.
export const PSEUDO_FIELDS: ReadonlySet<string> = new Set(['redcap_repeat_instrument', 'redcap_repeat_instance', 'redcap_event_name', 'redcap_data_access_group']);

export function requestedFields(fieldMapping: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(fieldMapping), ...DEFAULT_FIELDS])];
}

export interface FieldCheck {
  /** Fields to put in `fields[]`, the record id field first. */
  readonly fields: readonly string[];
  /** Requested fields the project does not know; named in a warning, not silently dropped. */
  readonly unknown: readonly string[];
}

/**
 * Checks the requested fields against the project's field names (metadata order, so the first is the record id).
 * `record_id` is only a default guess at the id field's name: when the project calls it otherwise, no warning.
 */
export function checkFields(requested: readonly string[], projectFields: readonly string[]): FieldCheck {
  const known = new Set(projectFields);
  const idField = projectFields[0];
  const fields = idField === undefined ? [] : [idField];
  const unknown: string[] = [];
  for (const field of requested) {
    if (PSEUDO_FIELDS.has(field) || field === idField) continue;
    if (known.has(field)) fields.push(field);
    else if (!(field === 'record_id' && idField !== undefined)) unknown.push(field);
  }
  return { fields, unknown };
}

export function unknownFieldsWarning(unknown: readonly string[], where: string): string {
  return `${unknown.length} requested field(s) not in ${where}, so not exported: ${unknown.join(', ')}`;
}
