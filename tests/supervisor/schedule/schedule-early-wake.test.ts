import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../../shared/logger.ts';
import { createScheduler, planNextTick } from '../../../supervisor/schedule/schedule.ts';

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
  const startedAt = performance.now();
  scheduler.start();
  await tenTicks;
  scheduler.stop();
  // Each firing belongs to the slot it woke in (an early wake of up to 15 ms counts as its slot); a late timer
  // may shorten the next gap, but no two firings may share a slot.
  const slots = times.map((t) => Math.floor((t - startedAt + 15) / 100));
  assert.ok(slots.every((slot, i) => i === 0 || slot > (slots[i - 1] ?? slot)), `slots ${slots.join(' ')} at ${times.map((t) => (t - startedAt).toFixed(1)).join(' ')} ms`);
});
