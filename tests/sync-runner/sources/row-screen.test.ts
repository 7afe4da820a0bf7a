import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRow, screenBatch, screenRecord, type ReadRow } from '../../../sync-runner/sources/row-screen.ts';

test('readRow keeps text and numbers as strings, and refuses objects, arrays, booleans and null instead of stringifying them', () => {
  const read = readRow({ record_id: 7, study_id: { id: 'X-1' }, family_id: ['F'], demo_sex: true, youth_dob_y: null, mri_date: '2030-01-01', other: {} }, new Set(['record_id', 'study_id', 'family_id', 'demo_sex', 'youth_dob_y', 'mri_date']));
  assert.deepEqual(read?.row, { record_id: '7', mri_date: '2030-01-01' });
  assert.deepEqual(read?.refused, [
    { field: 'study_id', problem: 'is an object, not text' },
    { field: 'family_id', problem: 'is an array, not text' },
    { field: 'demo_sex', problem: 'is a boolean, not text' },
    { field: 'youth_dob_y', problem: 'is null, not text' },
  ]);
  for (const notARecord of [null, [], 'x', 3]) assert.equal(readRow(notARecord, undefined), undefined);
});

const ok = (row: Record<string, string>): ReadRow => ({ row, refused: [] });
const bad = (row: Record<string, string>, field: string): ReadRow => ({ row, refused: [{ field, problem: 'is an object, not text' }] });
const baseline = { record_id: '9', redcap_repeat_instrument: '' };
const mri = (n: string) => ({ record_id: '9', redcap_repeat_instrument: 'mri', mri_instance: n, mri_date: '2030-01-01', mri_time: '09:00' });

test('screenRecord: a refused MRI row goes alone; a refused baseline takes the record, since every MRI row inherits it', () => {
  const clean = screenRecord([ok(baseline), ok(mri('1'))], 'record_id');
  assert.deepEqual(clean, { rows: [baseline, mri('1')], refusals: [], refusedMriRows: 0 });

  const oneSession = screenRecord([ok(baseline), bad(mri('1'), 'mri_date'), ok(mri('2'))], 'record_id');
  assert.deepEqual(oneSession.rows, [baseline, mri('2')]);
  assert.deepEqual(oneSession.refusals, [{ recordId: '9', field: 'mri_date', problem: 'is an object, not text' }]);
  assert.equal(oneSession.refusedMriRows, 1);

  const wholeRecord = screenRecord([bad(baseline, 'family_id'), ok(mri('1')), ok(mri('2'))], 'record_id');
  assert.deepEqual(wholeRecord.rows, []);
  assert.equal(wholeRecord.refusedMriRows, 2);

  const noId = screenRecord([bad({ redcap_repeat_instrument: '' }, 'record_id')], 'record_id');
  assert.equal(noId.refusals[0]?.recordId, '(no readable id)');
});

test('screenBatch keeps a record with no row left, so it still counts as fetched', () => {
  const batch = screenBatch([[bad(baseline, 'study_id'), ok(mri('1'))], [ok({ record_id: '10', redcap_repeat_instrument: '' })]], 'record_id');
  assert.equal(batch.records.length, 2);
  assert.deepEqual(batch.records[0], []);
  assert.equal(batch.refusals.length, 1);
  assert.equal(batch.refusedMriRows, 1);
});
