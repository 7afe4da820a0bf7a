import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addRun, compareRows, tally, type Series } from '../../../bench/before-after/compare.ts';

test('medians per side, after / before, n the fewer runs; NaN and missing figures skipped', () => {
  const series: Series = {};
  addRun(series, 'before', { latency: 10, rss: 60 });
  addRun(series, 'after', { latency: 6, rss: Number.NaN });
  addRun(series, 'before', { latency: 30, rss: 62 });
  addRun(series, 'after', { latency: 8, rss: 61 });
  addRun(series, 'before', { latency: 20 });
  const rows = compareRows(series, ['latency', 'rss', 'absent']);
  assert.deepEqual(rows.map((r) => [r.figure, r.before, r.after, r.ratio, r.n]), [
    ['latency', 20, 6, 0.3, 2],
    ['rss', 60, 61, 1.02, 1],
  ]);
});

test('a zero before is no division: equal is 1, more is infinite', () => {
  const series: Series = { a: { before: [0], after: [0] }, b: { before: [0], after: [2] } };
  assert.deepEqual(compareRows(series, ['a', 'b']).map((r) => r.ratio), [1, Number.POSITIVE_INFINITY]);
});

test('tally counts each value', () => {
  assert.deepEqual(tally(['SIGKILL', 'SIGTERM', 'SIGKILL']), { SIGKILL: 2, SIGTERM: 1 });
});
