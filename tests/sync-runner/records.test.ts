import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupByRecord, isEmptyValue, mergeMriRows, type RawRow } from '../../sync-runner/records.ts';

const baseline: RawRow = { record_id: '7', redcap_repeat_instrument: '', study_id: 'ABC-0007', family_id: 'F-3', youth_dob_y: '2012', demo_sex: '2', mri_instance: '', mri_date: '', mri_time: '' };
const mri = (instance: string, extra: Record<string, string> = {}): RawRow => ({
  record_id: '7', redcap_repeat_instrument: 'mri', redcap_repeat_instance: instance, study_id: '', family_id: '', youth_dob_y: 'NaN', demo_sex: '', mri_instance: instance, mri_date: '2030-02-07', mri_time: '09:30:00', ...extra,
});

test('isEmptyValue: "", blanks, NaN and undefined are empty', () => {
  for (const value of ['', '  ', 'NaN', 'nan', undefined]) assert.equal(isEmptyValue(value), true, String(value));
  for (const value of ['0', 'N', 'x']) assert.equal(isEmptyValue(value), false, value);
});

test('mergeMriRows: one row per valid MRI instance, empties filled from the baseline', () => {
  const merged = mergeMriRows([baseline, mri('1'), mri('2', { demo_sex: '1' })]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0], { record_id: '7', redcap_repeat_instrument: 'mri', redcap_repeat_instance: '1', study_id: 'ABC-0007', family_id: 'F-3', youth_dob_y: '2012', demo_sex: '2', mri_instance: '1', mri_date: '2030-02-07', mri_time: '09:30:00' });
  assert.equal(merged[1]?.demo_sex, '1', 'the MRI row wins when it has a value');
});

test('mergeMriRows: rows without instance, date or time, and other instruments, give nothing', () => {
  const rows = [baseline, mri('', {}), mri('3', { mri_date: '' }), mri('4', { mri_time: 'NaN' }), { ...mri('5'), redcap_repeat_instrument: 'visit' }];
  assert.deepEqual(mergeMriRows(rows), []);
});

test('mergeMriRows: no baseline row still merges the MRI row alone', () => {
  const [only] = mergeMriRows([mri('1', { study_id: 'ABC-1' })]);
  assert.equal(only?.study_id, 'ABC-1');
  assert.equal(only?.youth_dob_y, undefined, 'NaN never leaks through');
});

test('groupByRecord keeps first-seen order and merges interleaved rows', () => {
  const rows: RawRow[] = [{ id: 'a', n: '1' }, { id: 'b', n: '2' }, { id: 'a', n: '3' }];
  assert.deepEqual(groupByRecord(rows, (r) => r.id ?? '').map((g) => g.map((r) => r.n)), [['1', '3'], ['2']]);
});
