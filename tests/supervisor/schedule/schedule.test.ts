import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../../shared/logger.ts';
import { createScheduler, planNextTick } from '../../../supervisor/schedule/schedule.ts';

test('planNextTick keeps slots on the monotonic grid and skips a missed one', () => {
  assert.equal(planNextTick(1000, 100, 1000), 100);
  assert.equal(planNextTick(1000, 100, 1030), 70);
  assert.equal(planNextTick(1000, 100, 1100), 100);
  assert.equal(planNextTick(1000, 100, 1350), 50, 'a busy loop skips missed slots rather than firing them in a burst');
});

test('planNextTick: the plan depends on monotonic time only, so wall-clock jumps cannot double or drop a slot', () => {
  const every = 1000;
  const start = 50_000; // performance.now() when the schedule started
  // The timer fires on time, a little late, or very late (the event loop was busy): the next slot stays on the grid.
  const fires = [51_000, 52_004, 53_000, 56_500, 57_000];
  const next = fires.map((mono) => mono + planNextTick(start, every, mono));
  assert.deepEqual(next, [52_000, 53_000, 54_000, 57_000, 58_000]);
  // Each planned slot is strictly after the firing one: a tick can never be planned twice for the same slot.
  for (let i = 0; i < fires.length; i++) assert.ok((next[i] ?? 0) > (fires[i] ?? 0));
});

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
