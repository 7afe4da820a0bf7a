import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterLastDash, resolveProtocol, toWorklistEntry, type TransformSettings } from '../../sync-runner/transform.ts';

const settings: TransformSettings = {
  site: 'uofc',
  protocol: { uofc: 'BRAIN_MRI', other: 'X' },
  fieldMapping: { study_id: 'study_id', mri_instance: 'session_id', family_id: 'family_id', youth_dob_y: 'patient_birth_date', demo_sex: 'patient_sex', mri_date: 'scheduled_start_date', mri_time: 'scheduled_start_time' },
};
const row = { record_id: '1', study_id: 'CPIP-0042', family_id: 'FAM-07', mri_instance: '2', youth_dob_y: '2009', demo_sex: '2', mri_date: '2030-02-07', mri_time: '09:30:00' };

test('toWorklistEntry follows Pylantir: names, ids, mapped columns, protocol, data_source', () => {
  const outcome = toWorklistEntry(row, settings);
  assert.equal(outcome.kind, 'entry');
  if (outcome.kind !== 'entry') return;
  assert.equal(outcome.entry.patientName, 'cpip-id-0042^fa-07');
  assert.equal(outcome.entry.patientId, 'sub_0042_ses_2_fam_07_site_uofc');
  assert.deepEqual(outcome.entry.columns, {
    modality: 'MR',
    protocol_name: 'BRAIN_MRI',
    patient_birth_date: '2009',
    patient_sex: '2',
    scheduled_start_date: '2030-02-07',
    scheduled_start_time: '09:30',
    patient_name: 'cpip-id-0042^fa-07',
    patient_id: 'sub_0042_ses_2_fam_07_site_uofc',
    data_source: 'REDCap',
  });
  assert.deepEqual(outcome.unreadable, []);
});

test('toWorklistEntry table', () => {
  const cases: { name: string; input: Record<string, string>; check: (o: ReturnType<typeof toWorklistEntry>) => void }[] = [
    { name: 'missing study_id is skipped', input: { ...row, study_id: '' }, check: (o) => assert.deepEqual(o, { kind: 'skipped', reason: 'missing study_id' }) },
    { name: 'NaN study_id is skipped', input: { ...row, study_id: 'NaN' }, check: (o) => assert.equal(o.kind, 'skipped') },
    { name: 'no dash keeps the whole id', input: { ...row, study_id: '0042' }, check: (o) => assert.equal(o.kind === 'entry' && o.entry.patientName, 'cpip-id-0042^fa-07') },
    { name: 'several dashes: after the last', input: { ...row, study_id: 'A-B-9' }, check: (o) => assert.equal(o.kind === 'entry' && o.entry.patientId, 'sub_9_ses_2_fam_07_site_uofc') },
    { name: 'no family id', input: { ...row, family_id: '' }, check: (o) => assert.equal(o.kind === 'entry' && o.entry.patientName, 'cpip-id-0042^fa-') },
    { name: 'empty mapped value is not stored', input: { ...row, demo_sex: '' }, check: (o) => assert.equal(o.kind === 'entry' && 'patient_sex' in o.entry.columns, false) },
    { name: 'US date and 12-hour time are normalised', input: { ...row, mri_date: '02/07/2030', mri_time: '1:05 pm' }, check: (o) => assert.deepEqual(o.kind === 'entry' && [o.entry.columns.scheduled_start_date, o.entry.columns.scheduled_start_time], ['2030-02-07', '13:05']) },
    { name: 'unreadable date kept and reported', input: { ...row, mri_date: 'next week' }, check: (o) => assert.deepEqual(o.kind === 'entry' && [o.entry.columns.scheduled_start_date, o.unreadable], ['next week', ['date']]) },
  ];
  for (const c of cases) c.check(toWorklistEntry(c.input, settings));
});

test('a mapping onto identity or status columns never sets them', () => {
  const o = toWorklistEntry({ ...row, x: 'COMPLETED', y: 'evil' }, { ...settings, fieldMapping: { x: 'performed_procedure_step_status', y: 'patient_id', study_id: 'study_description' } });
  assert.equal(o.kind === 'entry' && o.entry.columns.performed_procedure_step_status, undefined);
  assert.equal(o.kind === 'entry' && o.entry.columns.patient_id, 'sub_0042_ses_2_fam_07_site_uofc');
  assert.equal(o.kind === 'entry' && o.entry.columns.study_description, 'CPIP-0042', 'a real column takes the raw value');
});

test('resolveProtocol: string, per-site map, fallback', () => {
  assert.equal(resolveProtocol('P1', 'x'), 'P1');
  assert.equal(resolveProtocol({ x: 'P2' }, 'x'), 'P2');
  assert.equal(resolveProtocol({ y: 'P2' }, 'x'), 'DEFAULT_PROTOCOL');
  assert.equal(resolveProtocol(undefined, 'x'), 'DEFAULT_PROTOCOL');
});

test('afterLastDash', () => {
  assert.equal(afterLastDash('a-b-c'), 'c');
  assert.equal(afterLastDash('abc'), 'abc');
  assert.equal(afterLastDash('abc-'), '');
});
