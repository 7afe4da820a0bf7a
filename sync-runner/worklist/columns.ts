// The columns of Pylantir's worklist_items table, in DDL order, and which of them a sync may write.

export const WORKLIST_COLUMNS = [
  'id',
  'study_instance_uid',
  'patient_name',
  'patient_id',
  'patient_birth_date',
  'patient_sex',
  'patient_weight_lb',
  'accession_number',
  'referring_physician_name',
  'modality',
  'study_description',
  'scheduled_station_aetitle',
  'scheduled_start_date',
  'scheduled_start_time',
  'performing_physician',
  'procedure_description',
  'protocol_name',
  'station_name',
  'hisris_coding_designator',
  'performed_procedure_step_status',
  'data_source',
] as const;

export type WorklistColumn = (typeof WORKLIST_COLUMNS)[number];

// The key, the identity and the status belong to the row's life, not to REDCap: a field mapping never sets them.
const NOT_MAPPABLE: ReadonlySet<string> = new Set(['id', 'study_instance_uid', 'patient_name', 'patient_id', 'performed_procedure_step_status', 'data_source']);

/** Columns a field mapping may fill; anything else in the mapping (study_id, session_id, …) is not stored. */
export function isMappableColumn(name: string): name is WorklistColumn {
  return (WORKLIST_COLUMNS as readonly string[]).includes(name) && !NOT_MAPPABLE.has(name);
}

/** The only columns a sync changes on a row that already exists. */
export const UPDATABLE_COLUMNS = ['data_source', 'scheduled_start_date', 'scheduled_start_time'] as const satisfies readonly WorklistColumn[];
