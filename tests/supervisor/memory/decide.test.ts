import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide } from '../../../supervisor/memory/decide.ts';
import { backoffDelay } from '../../../supervisor/schedule/backoff.ts';
import { runStatus, shouldRestart } from '../../../supervisor/run/run-outcome.ts';

const MB = 1024 * 1024;
const limits = { warnMb: 400, emergencyMb: 500, hardLimitMb: 750, sustainMs: 0 };

test('decide: each line is inclusive and the hard limit wins', () => {
  const cases: Array<[number, string, number | null]> = [
    [0, 'ok', null], [399.9, 'ok', null], [400, 'warn', 400], [499.9, 'warn', 400], [500, 'terminate', 500], [750, 'terminate', 500], [750.1, 'kill', 750],
  ];
  for (const [mb, verdict, limitMb] of cases) {
    const decision = decide(mb * MB, limits, null, 1000);
    assert.deepEqual([decision.verdict, decision.limitMb], [verdict, limitMb], `${mb} MB`);
    assert.equal(decision.overSinceMs, mb >= 500 ? 1000 : null, `${mb} MB: a crossing starts at the sample`);
  }
});

test('backoff doubles from backoffMs and stops at the cap; the first attempt does not wait', () => {
  const options = { backoffMs: 1000, backoffMaxMs: 5000 };
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, options)), [0, 1000, 2000, 4000, 5000, 5000]);
});

test('run status: the termination reason decides first, then the exit', () => {
  const base = { exitCode: 0, signal: null, spawnError: false };
  assert.equal(runStatus({ ...base, reason: undefined }), 'ok');
  assert.equal(runStatus({ ...base, reason: 'memory', exitCode: null, signal: 'SIGTERM' }), 'killed');
  assert.equal(runStatus({ ...base, reason: 'timeout' }), 'timeout');
  assert.equal(runStatus({ ...base, reason: 'shutdown' }), 'interrupted');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: 2 }), 'failed');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: null, signal: 'SIGSEGV' }), 'failed');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: null, spawnError: true }), 'failed');
  assert.deepEqual(['ok', 'killed', 'timeout', 'failed', 'interrupted'].map((s) => shouldRestart(s as 'ok')), [false, true, true, true, false]);
});
