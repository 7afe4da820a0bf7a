import { randomUUID } from 'node:crypto';

/** DICOM's UID root for UUID-derived UIDs is 2.25, but Pylantir uses this prefix and sites match on it. */
export const STUDY_UID_PREFIX = '1.2.840.10008.3.1.2.3.4.';

// Pylantir's f"{prefix}{uuid.uuid4().int}": a random UUID written as one decimal integer.
export function newStudyInstanceUid(): string {
  return STUDY_UID_PREFIX + BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10);
}
