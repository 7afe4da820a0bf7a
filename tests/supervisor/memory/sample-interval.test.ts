import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intervalBounds, nextSampleIntervalMs, recentSlope, type RssPoint } from '../../../supervisor/memory/sample-interval.ts';
import { BYTES_PER_MB as MB } from '../../../shared/units.ts';

const bounds = intervalBounds(100);
const lines = { emergencyMb: 200, hardLimitMb: 300 };
/** Samples `everyMs` apart, at the given MB. */
const series = (mbs: readonly number[], everyMs = 100): RssPoint[] => mbs.map((mb, i) => ({ atMs: 5000 + i * everyMs, rssBytes: mb * MB }));

test('intervalBounds: an eighth to twice the configured period, never under 10 ms', () => {
  assert.deepEqual(intervalBounds(100), { baseMs: 100, minMs: 13, maxMs: 200 });
  assert.deepEqual(intervalBounds(1000), { baseMs: 1000, minMs: 125, maxMs: 2000 });
  assert.deepEqual(intervalBounds(10), { baseMs: 10, minMs: 10, maxMs: 20 });
});

test('recentSlope: the steeper of the window and the last step; never negative', () => {
  assert.equal(recentSlope([]), 0);
  assert.equal(recentSlope(series([50])), 0);
  assert.equal(recentSlope(series([50, 60, 70, 80])), (10 * MB) / 100);
  assert.equal(recentSlope(series([50, 50, 50, 80])), (30 * MB) / 100, 'a sudden jump counts at once');
  assert.equal(recentSlope(series([80, 70, 60])), 0, 'a shrinking tree does not grow');
  assert.equal(recentSlope([{ atMs: 5000, rssBytes: MB }, { atMs: 5000, rssBytes: 2 * MB }]), 0, 'no time elapsed, no slope');
});

test('nextSampleIntervalMs: the base period before there is a slope, and for the first sample', () => {
  assert.equal(nextSampleIntervalMs([], lines, bounds), 100);
  assert.equal(nextSampleIntervalMs(series([20]), lines, bounds), 100, 'one sample: far below, but no slope yet');
});

test('nextSampleIntervalMs: twice the period far below a flat line, the period above half of it', () => {
  assert.equal(nextSampleIntervalMs(series([40, 40, 40]), lines, bounds), 200);
  assert.equal(nextSampleIntervalMs(series([99, 99]), lines, bounds), 200);
  assert.equal(nextSampleIntervalMs(series([100, 100]), lines, bounds), 100, 'half the line is no longer far');
  assert.equal(nextSampleIntervalMs(series([199, 199, 199]), lines, bounds), 100, 'near but flat: the period, not faster');
  assert.equal(nextSampleIntervalMs(series([150, 140, 130]), lines, bounds), 100, 'shrinking');
});

test('nextSampleIntervalMs: half the time to the predicted crossing, within the bounds', () => {
  // 10 MB per 100 ms, 90 MB left: crossing in 900 ms, next sample in 450, held at the period (above half the line).
  assert.equal(nextSampleIntervalMs(series([80, 90, 100, 110]), lines, bounds), 100);
  assert.equal(nextSampleIntervalMs(series([50, 60, 70]), lines, bounds), 200);
  // 20 MB per 100 ms, 40 MB left: crossing in 200 ms, next sample in 100.
  assert.equal(nextSampleIntervalMs(series([120, 140, 160]), lines, bounds), 100);
  // 30 MB left: crossing in 150 ms, next sample in 75.
  assert.equal(nextSampleIntervalMs(series([130, 150, 170]), lines, bounds), 75);
  // 6 MB left: crossing in 30 ms, next sample in 15; 2 MB left: in 5, held at the floor of 13.
  assert.equal(nextSampleIntervalMs(series([154, 174, 194]), lines, bounds), 15);
  assert.equal(nextSampleIntervalMs(series([158, 178, 198]), lines, bounds), 13);
  // Far below, but a leak of 200 MB/s would cross within a few periods: faster than the distance alone says.
  assert.equal(nextSampleIntervalMs(series([20, 40, 60, 80]), lines, bounds), 200, 'crossing in 600 ms: not yet');
  assert.equal(nextSampleIntervalMs(series([30, 90]), lines, bounds), 92, '60 MB per period, 110 MB left: crossing in 183 ms');
});

test('nextSampleIntervalMs: at or over the emergency line (a sustain wait) the hard limit is the next line', () => {
  assert.equal(nextSampleIntervalMs(series([200, 200]), lines, bounds), 100, 'flat: the base period, as before');
  assert.equal(nextSampleIntervalMs(series([250, 240]), lines, bounds), 100, 'shrinking');
  // 10 MB per 100 ms, 100 MB to the hard limit: crossing in 1 s, held at the base period.
  assert.equal(nextSampleIntervalMs(series([190, 200]), lines, bounds), 100);
  // 40 MB per 100 ms, 20 MB to the hard limit: crossing in 50 ms, next sample in 25.
  assert.equal(nextSampleIntervalMs(series([240, 280]), lines, bounds), 25);
  assert.equal(nextSampleIntervalMs(series([260, 290]), lines, bounds), 17, '10 MB to go: crossing in 33 ms');
  assert.equal(nextSampleIntervalMs(series([300, 301]), lines, bounds), 13, 'over the hard limit: a kill is under way');
});

test('nextSampleIntervalMs: a leak at 10, 50 and 200 MB/s is sampled at the floor before it crosses', () => {
  for (const mbPerSec of [10, 50, 200]) {
    // Replay the loop's own plan against a steady leak from 40 MB towards a 200 MB line.
    const samples: RssPoint[] = [];
    let at = 0;
    let lastWait = 0;
    for (;;) {
      const mb = 40 + (mbPerSec * at) / 1000;
      if (mb >= 200) break;
      samples.push({ atMs: at, rssBytes: mb * MB });
      lastWait = nextSampleIntervalMs(samples.slice(-4), lines, bounds);
      at += lastWait;
    }
    assert.equal(lastWait, 13, `${mbPerSec} MB/s: the sample that saw the crossing came 13 ms after the one before`);
    assert.ok(samples.length < (160 / mbPerSec) * 10 + 5, `${mbPerSec} MB/s: ${samples.length} samples, no more than at a fixed 100 ms`);
  }
});
