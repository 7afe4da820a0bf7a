// A source's totals are the sum of its batches' counts; the result and its warning lines are read from them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_BATCH_COUNTS, type BatchCounts } from '../../../sync-runner/batch-counts.ts';
import { addTransformed, addWrite, NO_COUNTS, summaryWarnings, toSourceResult } from '../../../sync-runner/run/source-counts.ts';

const batch = (over: Partial<BatchCounts>): BatchCounts => ({ ...NO_BATCH_COUNTS, ...over });
const write = (inserted: number, duplicateRowIds: number[] = []) => ({ inserted, updated: 1, unchanged: 2, duplicateKeys: duplicateRowIds.length > 0 ? 1 : 0, duplicateRowIds });
const refusal = (recordId: string, field: string) => ({ recordId, field, problem: 'is an object, not text' });

test('a source that did nothing reports zeros and only the warnings met on the way, in the result\'s field order', () => {
  const result = toSourceResult('main', 'skipped', 0, NO_COUNTS, [], { reason: 'outside operation window 08:00–18:00' });
  assert.equal(JSON.stringify(result), JSON.stringify({
    name: 'main', status: 'skipped', reason: 'outside operation window 08:00–18:00', fetched: 0, mriRows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, warnings: [], durationMs: 0,
  }));
});

test('batches add up: fetched, MRI rows, writes; skipped is no study_id plus refused rows; an empty batch is one line', () => {
  let counts = NO_COUNTS;
  counts = addWrite(addTransformed(counts, batch({ records: 3, mriRows: 5, missingStudyId: 1, unreadableDates: 1 })), write(3));
  counts = addWrite(addTransformed(counts, batch({})), write(0));
  counts = addWrite(addTransformed(counts, batch({ records: 2, mriRows: 2, refusedRows: 1, refusals: 1, refusalExamples: [refusal('9', 'mri_date')], unreadableTimes: 2 })), write(0));
  const result = toSourceResult('main', 'ok', 12, counts, ['opened late']);
  assert.deepEqual({ ...result, warnings: [] }, { name: 'main', status: 'ok', fetched: 5, mriRows: 7, inserted: 3, updated: 3, unchanged: 6, skipped: 2, warnings: [], durationMs: 12 });
  assert.deepEqual(result.warnings, [
    'opened late',
    '1 MRI row(s) skipped: no study_id',
    '1 MRI row(s) skipped for 1 value(s) that are not text or too long for their worklist column: record "9": mri_date is an object, not text',
    '1 MRI date(s) not in a recognised date format; stored as exported',
    '2 MRI time(s) not in a recognised time format; stored as exported',
    '1 batch(es) came back empty (records deleted since the id export?)',
  ]);
});

test('refusal examples stay the first five across batches, ids quoted and cut; the rest are counted', () => {
  const longId = `R${'9'.repeat(60)}`;
  let counts = addTransformed(NO_COUNTS, batch({ records: 1, refusedRows: 3, refusals: 3, refusalExamples: [refusal(longId, 'a'), refusal('2', 'b'), refusal('2', 'c')] }));
  counts = addTransformed(counts, batch({ records: 1, refusedRows: 4, refusals: 6, refusalExamples: [refusal('3', 'd'), refusal('3', 'e'), refusal('3', 'f'), refusal('3', 'g'), refusal('3', 'h')] }));
  assert.deepEqual(summaryWarnings(counts, []), [
    `7 MRI row(s) skipped for 9 value(s) that are not text or too long for their worklist column: record "R${'9'.repeat(39)}…": a is an object, not text; `
      + 'record "2": b is an object, not text; record "2": c is an object, not text; record "3": d is an object, not text; record "3": e is an object, not text; and 4 more',
  ]);
});

test('duplicate keys name the first twenty rows left alone, and say when there were more', () => {
  const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  const exact = addWrite(NO_COUNTS, write(0, ids(1, 20)));
  assert.deepEqual(summaryWarnings(exact, []), [`1 worklist key(s) already had duplicate rows; updated the lowest id of each, left rows ${ids(1, 20).join(', ')} untouched`]);
  const more = addWrite(addWrite(NO_COUNTS, write(0, ids(1, 15))), write(0, ids(100, 6)));
  assert.deepEqual(summaryWarnings(more, []), [`2 worklist key(s) already had duplicate rows; updated the lowest id of each, left rows ${[...ids(1, 15), ...ids(100, 5)].join(', ')}, … untouched`]);
});
