import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextAttemptAt, retryDelayMs } from '../../../supervisor/alerts/retry-policy.ts';

const policy = { backoffMs: 5000, backoffMaxMs: 300_000, maxAttempts: 50, maxAgeMs: 86_400_000 };
const T0 = Date.UTC(2026, 0, 1);

test('the retry delay doubles from backoffMs and stops at backoffMaxMs', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 40].map((n) => retryDelayMs(n, policy)), [5000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('the next attempt comes after the delay, until maxAttempts or maxAgeMs, then the delivery fails', () => {
  assert.equal(nextAttemptAt({ attempts: 1, createdAtMs: T0, nowMs: T0 + 100 }, policy), T0 + 5100);
  assert.equal(nextAttemptAt({ attempts: 50, createdAtMs: T0, nowMs: T0 + 100 }, policy), undefined, 'after maxAttempts');
  assert.equal(nextAttemptAt({ attempts: 3, createdAtMs: T0, nowMs: T0 + 86_390_000 }, policy), undefined, 'the next try would be past maxAgeMs');
  assert.equal(nextAttemptAt({ attempts: 3, createdAtMs: T0, nowMs: T0 + 86_000_000 }, policy), T0 + 86_020_000);
});
