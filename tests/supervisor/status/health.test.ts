import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeHealth, overdueGraceMs, type HealthFacts } from '../../../supervisor/status/health.ts';

const T0 = Date.UTC(2025, 0, 1, 12);
const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
  nowMs: T0, stopping: false, scheduleStarted: true, schedulerRunning: true, nextTickAtMs: T0 + 10_000,
  sampleIntervalMs: 100, currentRun: undefined, runTimeoutMs: 600_000, graceMs: 3000, ...over,
});

test('the overdue grace is 30 s, or twice a long sample interval', () => {
  assert.equal(overdueGraceMs(100), 30_000);
  assert.equal(overdueGraceMs(60_000), 120_000);
});

test('a running schedule with its next tick ahead (or late by less than the grace) is healthy', () => {
  assert.deepEqual(judgeHealth(facts()), { ok: true, mode: 'scheduled', nextTickAtMs: T0 + 10_000 });
  assert.equal(judgeHealth(facts({ nextTickAtMs: T0 - 29_999 })).ok, true);
});

test('a tick later than the grace is overdue', () => {
  const health = judgeHealth(facts({ nextTickAtMs: T0 - 45_000 }));
  assert.deepEqual(health, { ok: false, reason: `tick overdue by 45.0 s (planned at ${new Date(T0 - 45_000).toISOString()})` });
});

test('one-shot mode (no schedule ever created) is healthy while it runs', () => {
  assert.deepEqual(judgeHealth(facts({ scheduleStarted: false, schedulerRunning: false, nextTickAtMs: undefined })), { ok: true, mode: 'one-shot', nextTickAtMs: null });
});

test('stopping, a stopped scheduler, and no planned tick are unhealthy', () => {
  assert.deepEqual(judgeHealth(facts({ stopping: true })), { ok: false, reason: 'the supervisor is stopping' });
  assert.deepEqual(judgeHealth(facts({ schedulerRunning: false })), { ok: false, reason: 'the scheduler is not running' });
  assert.deepEqual(judgeHealth(facts({ nextTickAtMs: undefined })), { ok: false, reason: 'the scheduler has no next tick planned' });
});

test('a run past run.timeoutMs + grace + slack means the kill path is stuck, in either mode', () => {
  const stuck = { runId: 7, startedAtMs: T0 - (600_000 + 3000 + 30_001) };
  for (const scheduleStarted of [true, false]) {
    const health = judgeHealth(facts({ scheduleStarted, currentRun: stuck }));
    assert.equal(health.ok, false);
    assert.match(health.ok ? '' : health.reason, /^run 7 stuck: running for 633\.0 s/);
  }
  assert.equal(judgeHealth(facts({ currentRun: { runId: 7, startedAtMs: T0 - 600_000 } })).ok, true);
});
