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
const NOT_MAPPABLE = ['id', 'study_instance_uid', 'patient_name', 'patient_id', 'performed_procedure_step_status', 'data_source'] as const;
const NOT_MAPPABLE_SET: ReadonlySet<string> = new Set(NOT_MAPPABLE);

export type MappableColumn = Exclude<WorklistColumn, (typeof NOT_MAPPABLE)[number]>;
/** The columns a worklist entry carries besides its identity: the mapped ones and data_source. */
export type EntryColumn = MappableColumn | 'data_source';

/** Columns a field mapping may fill; anything else in the mapping (study_id, session_id, …) is not stored. */
export function isMappableColumn(name: string): name is MappableColumn {
  return (WORKLIST_COLUMNS as readonly string[]).includes(name) && !NOT_MAPPABLE_SET.has(name);
}

/** The only columns a sync changes on a row that already exists. */
export const UPDATABLE_COLUMNS = ['data_source', 'scheduled_start_date', 'scheduled_start_time'] as const satisfies readonly WorklistColumn[];

/**
 * The longest value a sync stores in each text column it writes. SQLite ignores VARCHAR(n), so nothing else stops a
 * 10 MB birth date; each cap is the larger of Pylantir's declared size (worklist-schema.ts, so nothing Pylantir
 * accepts today is refused) and the DICOM VR maximum of the attribute the MWL server fills from it (PS3.5 6.2:
 * PN 64 per component group, LO 64, SH 16, CS 16, DS 16, AE 16, TM 16), and dates hold the YYYY-MM-DD we write.
 */
export const COLUMN_MAX_CHARS = {
  patient_name: 100, // VARCHAR(100); PN
  patient_id: 64, // LO; VARCHAR(50)
  patient_birth_date: 10, // DA, as YYYY-MM-DD
  patient_sex: 16, // CS; VARCHAR(1)
  patient_weight_lb: 16, // DS; VARCHAR(10)
  accession_number: 50, // VARCHAR(50); SH
  referring_physician_name: 100, // VARCHAR(100); PN
  modality: 16, // CS; VARCHAR(10)
  study_description: 100, // VARCHAR(100); LO
  scheduled_station_aetitle: 100, // VARCHAR(100); AE
  scheduled_start_date: 10, // DA, as YYYY-MM-DD
  scheduled_start_time: 16, // TM; VARCHAR(6)
  performing_physician: 100, // VARCHAR(100); PN
  procedure_description: 200, // VARCHAR(200); LO
  protocol_name: 100, // VARCHAR(100); LO
  station_name: 100, // VARCHAR(100); SH
  hisris_coding_designator: 100, // VARCHAR(100); SH
  data_source: 255, // VARCHAR(255)
} as const satisfies Partial<Record<WorklistColumn, number>>;

/** Pure: the cap of a column a sync writes; undefined for the key, the UID and the status, which it never fills. */
export function maxCharsOf(column: WorklistColumn): number | undefined {
  return (COLUMN_MAX_CHARS as Partial<Record<WorklistColumn, number>>)[column];
}
