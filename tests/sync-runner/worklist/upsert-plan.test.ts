import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planUpserts, type ExistingRow } from '../../../sync-runner/worklist/upsert-plan.ts';
import type { WorklistEntry } from '../../../sync-runner/worklist/worklist-entry.ts';

const entry = (pid: string, date: string, time = '09:00'): WorklistEntry => ({
  patientId: pid, patientName: `n-${pid}`,
  columns: { data_source: 'REDCap', scheduled_start_date: date, scheduled_start_time: time, patient_sex: '2' },
});
const row = (id: number, pid: string, date: string, time = '09:00', source = 'REDCap'): ExistingRow => ({ id, patient_id: pid, patient_name: `n-${pid}`, data_source: source, scheduled_start_date: date, scheduled_start_time: time });

test('planUpserts: new keys insert, changed rows update only the three columns, equal rows stay', () => {
  const plan = planUpserts([entry('a', '2030-01-01'), entry('b', '2030-01-02'), entry('c', '2030-01-03', '10:00')], [row(1, 'b', '2030-01-02'), row(2, 'c', '2030-01-03', '09:00', 'manual')]);
  assert.deepEqual(plan.inserts.map((e) => e.patientId), ['a']);
  assert.deepEqual(plan.updates, [{ id: 2, set: { data_source: 'REDCap', scheduled_start_time: '10:00' } }]);
  assert.equal(plan.unchanged, 1);
  assert.equal(plan.duplicateKeys, 0);
});

test('planUpserts: duplicate rows update the lowest id; a repeated entry in one batch counts once, last wins', () => {
  const plan = planUpserts([entry('d', '2030-01-01'), entry('d', '2030-02-02')], [row(9, 'd', '2030-01-01'), row(4, 'd', '2029-01-01'), row(7, 'd', '2030-01-01')]);
  assert.deepEqual(plan.updates, [{ id: 4, set: { scheduled_start_date: '2030-02-02' } }]);
  assert.equal(plan.duplicateKeys, 1);
  assert.deepEqual(plan.duplicateRowIds, [7, 9]);
  assert.deepEqual(plan.inserts, []);
});

test('planUpserts: same patient_id with another patient_name is another key', () => {
  const plan = planUpserts([entry('e', '2030-01-01')], [{ ...row(1, 'e', '2030-01-01'), patient_name: 'someone else' }]);
  assert.equal(plan.inserts.length, 1);
});
