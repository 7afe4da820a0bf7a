// memory.sustainMs through the pure verdict: synthetic samples with fixed timestamps, the crossing threaded through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, type MemoryLimits, type MemoryVerdict } from '../../../supervisor/memory/decide.ts';
import { BYTES_PER_MB as MB } from '../../../shared/units.ts';

const limits: MemoryLimits = { warnMb: 400, emergencyMb: 500, hardLimitMb: 750, sustainMs: 1000 };

/** Feeds [atMs, MB] samples through decide() as the sampling loop does, carrying the crossing from one to the next. */
function replay(samples: ReadonlyArray<readonly [number, number]>, given: MemoryLimits = limits) {
  let overSinceMs: number | null = null;
  return samples.map(([atMs, mb]) => {
    const decision = decide(mb * MB, given, overSinceMs, atMs);
    overSinceMs = decision.overSinceMs;
    return { atMs, verdict: decision.verdict, overSinceMs };
  });
}

const verdicts = (steps: ReturnType<typeof replay>): MemoryVerdict[] => steps.map((s) => s.verdict);

test('sustain: a tree that stays over the line is tolerated until sustainMs has passed since the crossing, then terminated', () => {
  const steps = replay([[0, 300], [100, 520], [200, 600], [1000, 510], [1099, 700], [1100, 505]]);
  assert.deepEqual(verdicts(steps), ['ok', 'tolerate', 'tolerate', 'tolerate', 'tolerate', 'terminate']);
  assert.deepEqual(steps.map((s) => s.overSinceMs), [null, 100, 100, 100, 100, 100], 'the crossing is the first sample over the line');
});

test('sustain: one sample below the line resets the wait (a dip is not "continuously")', () => {
  const steps = replay([[0, 520], [900, 520], [950, 499.9], [1000, 520], [1950, 520], [2000, 520]]);
  assert.deepEqual(verdicts(steps), ['tolerate', 'tolerate', 'warn', 'tolerate', 'tolerate', 'terminate']);
  assert.equal(steps[3]?.overSinceMs, 1000, 'the second stretch starts at its own crossing');
});

test('sustain: a brief spike that comes back below the line is never terminated', () => {
  const steps = replay([[0, 100], [100, 600], [200, 650], [300, 200], [400, 100], [5000, 100]]);
  assert.deepEqual(verdicts(steps), ['ok', 'tolerate', 'tolerate', 'ok', 'ok', 'ok']);
});

test('sustain: above the hard limit the verdict is kill at once, whatever the wait; the crossing is kept', () => {
  const steps = replay([[0, 520], [100, 750.5]]);
  assert.deepEqual(verdicts(steps), ['tolerate', 'kill']);
  assert.equal(steps[1]?.overSinceMs, 0);
  assert.equal(decide(800 * MB, limits, null, 42).verdict, 'kill', 'a first sample above the hard limit');
});

test('sustain: 0 terminates at the first sample on the line (today\'s behaviour)', () => {
  assert.deepEqual(verdicts(replay([[0, 499], [100, 500]], { ...limits, sustainMs: 0 })), ['warn', 'terminate']);
});

test('sustain: the wait is measured on the injected clock, not on the number of samples', () => {
  // Two samples only, far apart (a stalled loop): the second is past sustainMs, so it terminates.
  assert.deepEqual(verdicts(replay([[10_000, 510], [11_000, 510]])), ['tolerate', 'terminate']);
  // Many samples within the wait: still tolerated.
  assert.deepEqual(new Set(verdicts(replay(Array.from({ length: 50 }, (_, i) => [i * 10, 510] as const)))), new Set(['tolerate']));
});
