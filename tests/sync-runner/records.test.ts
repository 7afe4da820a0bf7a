import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupByRecord, isEmptyValue, mergeRecord, type RawRow, type ReadRow } from '../../sync-runner/records.ts';

const baseline: RawRow = { record_id: '7', redcap_repeat_instrument: '', study_id: 'ABC-0007', family_id: 'F-3', youth_dob_y: '2012', demo_sex: '2', mri_instance: '', mri_date: '', mri_time: '' };
const mri = (instance: string, extra: Record<string, string> = {}): RawRow => ({
  record_id: '7', redcap_repeat_instrument: 'mri', redcap_repeat_instance: instance, study_id: '', family_id: '', youth_dob_y: 'NaN', demo_sex: '', mri_instance: instance, mri_date: '2030-02-07', mri_time: '09:30:00', ...extra,
});

test('isEmptyValue: "", blanks, NaN and undefined are empty', () => {
  for (const value of ['', '  ', 'NaN', 'nan', undefined]) assert.equal(isEmptyValue(value), true, String(value));
  for (const value of ['0', 'N', 'x']) assert.equal(isEmptyValue(value), false, value);
});

const ok = (row: RawRow): ReadRow => ({ row, refused: [] });
const bad = (row: RawRow, field: string): ReadRow => ({ row, refused: [{ field, problem: 'is an object, not text' }] });
const sessionsOf = (rows: RawRow[]) => mergeRecord(rows.map(ok)).sessions;

test('mergeRecord: one row per valid MRI instance, empties filled from the baseline', () => {
  const merged = sessionsOf([baseline, mri('1'), mri('2', { demo_sex: '1' })]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[0], { record_id: '7', redcap_repeat_instrument: 'mri', redcap_repeat_instance: '1', study_id: 'ABC-0007', family_id: 'F-3', youth_dob_y: '2012', demo_sex: '2', mri_instance: '1', mri_date: '2030-02-07', mri_time: '09:30:00' });
  assert.equal(merged[1]?.demo_sex, '1', 'the MRI row wins when it has a value');
});

test('mergeRecord: rows without instance, date or time, and other instruments, give nothing', () => {
  const rows = [baseline, mri('', {}), mri('3', { mri_date: '' }), mri('4', { mri_time: 'NaN' }), { ...mri('5'), redcap_repeat_instrument: 'visit' }];
  assert.deepEqual(mergeRecord(rows.map(ok)), { sessions: [], refusedMriRows: 0 });
});

test('mergeRecord: no baseline row still merges the MRI row alone; the first baseline row is the one inherited', () => {
  const [only] = sessionsOf([mri('1', { study_id: 'ABC-1' })]);
  assert.equal(only?.study_id, 'ABC-1');
  assert.equal(only?.youth_dob_y, undefined, 'NaN never leaks through');
  const [first] = sessionsOf([baseline, mri('1'), { ...baseline, study_id: 'ABC-9999' }]);
  assert.equal(first?.study_id, 'ABC-0007');
});

test('mergeRecord: a refused MRI row goes alone; a refused baseline takes every MRI row, since each inherits it', () => {
  const oneSession = mergeRecord([ok(baseline), bad(mri('1'), 'mri_date'), ok(mri('2'))]);
  assert.deepEqual(oneSession.sessions.map((s) => s.mri_instance), ['2']);
  assert.equal(oneSession.refusedMriRows, 1);

  const wholeRecord = mergeRecord([bad(baseline, 'family_id'), ok(mri('1')), ok(mri('2', { mri_date: '' })), ok({ ...mri('3'), redcap_repeat_instrument: 'visit' })]);
  assert.deepEqual(wholeRecord, { sessions: [], refusedMriRows: 2 }, 'every MRI-instrument row, complete or not; other instruments are not MRI rows');

  const laterBaseline = mergeRecord([ok(baseline), ok(mri('1')), bad({ ...baseline, study_id: 'X-1' }, 'demo_sex')]);
  assert.deepEqual(laterBaseline, { sessions: [], refusedMriRows: 1 }, 'any refused baseline row takes the record');

  const otherInstrument = mergeRecord([ok(baseline), bad({ ...mri('1'), redcap_repeat_instrument: 'visit' }, 'x'), ok(mri('2'))]);
  assert.deepEqual([otherInstrument.sessions.length, otherInstrument.refusedMriRows], [1, 0], 'a refused row of another instrument costs no MRI row');
});

test('groupByRecord keeps first-seen order and merges interleaved rows', () => {
  const rows: RawRow[] = [{ id: 'a', n: '1' }, { id: 'b', n: '2' }, { id: 'a', n: '3' }];
  assert.deepEqual(groupByRecord(rows, (r) => r.id ?? '').map((g) => g.map((r) => r.n)), [['1', '3'], ['2']]);
});
