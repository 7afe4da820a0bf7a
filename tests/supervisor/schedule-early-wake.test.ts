import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../shared/logger.ts';
import { createScheduler, planNextTick } from '../../supervisor/schedule.ts';

test('planNextTick: a timer that wakes just before its slot plans the next slot, not the same one again', () => {
  assert.equal(planNextTick(1000, 300, 1299), 301);
  assert.equal(planNextTick(1000, 300, 1298), 302);
  assert.equal(planNextTick(1000, 300, 1250), 50, 'a wake well inside the slot still waits for the boundary');
  assert.equal(planNextTick(1000, 60_000, 60_999), 60_001);
});

test('the interval scheduler never fires twice for one slot on real timers', async () => {
  const times: number[] = [];
  let done: () => void = () => undefined;
  const tenTicks = new Promise<void>((resolve) => (done = resolve));
  const scheduler = createScheduler({ everyMs: 100 }, undefined, () => {
    times.push(performance.now());
    if (times.length === 10) done();
  }, { now: Date.now, logger: createLogger({ level: 'error' }) });
  scheduler.start();
  await tenTicks;
  scheduler.stop();
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
  assert.ok(gaps.every((gap) => gap > 50), `gaps between ticks: ${gaps.map((g) => g.toFixed(1)).join(' ')}`);
});
