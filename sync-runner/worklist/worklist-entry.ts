import type { EntryColumn } from './columns.ts';

/**
 * A worklist row as the sync wants it, minus what only an insert adds (UID, weight default, status).
 * The identity (patient_id, patient_name) is held once, here, and not among `columns`: the upsert plan matches on it
 * and the insert writes it, so the two can never disagree.
 */
export interface WorklistEntry {
  readonly patientId: string;
  readonly patientName: string;
  readonly columns: Readonly<Partial<Record<EntryColumn, string>>>;
  /** The REDCap record and MRI instance (`mri_instance`) the row comes from; the link a new row gets. */
  readonly origin?: { readonly record: string; readonly instance: string };
}

/** The upsert's match key, (patient_id, patient_name), for an entry or for a row read back from the table. */
export const identityKey = (patientId: string | null, patientName: string | null): string => `${patientId ?? ''}\u0000${patientName ?? ''}`;
