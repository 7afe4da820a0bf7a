import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRow } from '../../../sync-runner/sources/row-screen.ts';

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
