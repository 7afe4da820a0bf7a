import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterLastDash, resolveProtocol, toWorklistEntry, type TransformSettings } from '../../sync-runner/transform.ts';
import { COLUMN_MAX_CHARS, isMappableColumn, WORKLIST_COLUMNS } from '../../sync-runner/worklist/columns.ts';
import { WORKLIST_DDL } from '../../sync-runner/worklist/worklist-schema.ts';

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
  assert.equal(o.kind === 'entry' && 'performed_procedure_step_status' in o.entry.columns, false);
  assert.equal(o.kind === 'entry' && o.entry.patientId, 'sub_0042_ses_2_fam_07_site_uofc');
  assert.equal(o.kind === 'entry' && 'patient_id' in o.entry.columns, false, 'the identity is held once, outside the columns');
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

test('a value longer than its worklist column allows refuses the row, naming the column and where the value came from', () => {
  const tenMegabytes = '1'.repeat(10 * 1024 * 1024);
  const cases: { input: Record<string, string>; column: string; from: string; length: number; max: number }[] = [
    { input: { ...row, youth_dob_y: tenMegabytes }, column: 'patient_birth_date', from: 'field youth_dob_y', length: tenMegabytes.length, max: 10 },
    { input: { ...row, demo_sex: 'x'.repeat(17) }, column: 'patient_sex', from: 'field demo_sex', length: 17, max: 16 },
    { input: { ...row, mri_date: 'not a date at all' }, column: 'scheduled_start_date', from: 'field mri_date', length: 17, max: 10 },
  ];
  for (const c of cases) {
    const outcome = toWorklistEntry(c.input, settings);
    assert.deepEqual(outcome, { kind: 'skipped', reason: 'value too long', tooLong: { column: c.column, from: c.from, length: c.length, max: c.max } }, c.column);
  }
  const longId = toWorklistEntry({ ...row, study_id: `CPIP-${'9'.repeat(60)}` }, settings);
  assert.equal(longId.kind === 'skipped' && longId.reason === 'value too long' && longId.tooLong.column, 'patient_id', 'the patient id it would build is past LO 64');
  assert.equal(toWorklistEntry({ ...row, youth_dob_y: '2009-05-01', demo_sex: 'x'.repeat(16) }, settings).kind, 'entry', 'values at their cap are kept');
});

test('every column a mapping or the sync fills has a cap, and no cap is under Pylantir\'s declared size', () => {
  const declared = Object.fromEntries([...WORKLIST_DDL.matchAll(/(\w+) VARCHAR\((\d+)\)/g)].map((m) => [m[1], Number(m[2])]));
  assert.ok(Object.keys(declared).length > 15, 'the DDL was read');
  const caps: Record<string, number> = COLUMN_MAX_CHARS;
  for (const column of WORKLIST_COLUMNS.filter((c) => isMappableColumn(c) || ['patient_name', 'patient_id', 'data_source'].includes(c))) {
    assert.ok(caps[column] !== undefined, `${column} has a cap`);
    assert.ok((caps[column] ?? 0) >= (declared[column] ?? Infinity), `${column}: cap ${caps[column]} is not under VARCHAR(${declared[column]})`);
  }
});
