import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cappedDoubling } from '../../shared/backoff.ts';
import { backoffDelay as restartDelay } from '../../supervisor/schedule/backoff.ts';
import { backoffDelay as requestRetryDelay } from '../../sync-runner/sources/retry.ts';

test('cappedDoubling: no wait before the first try, then base, doubling, capped; a zero base never waits', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => cappedDoubling(n, 1000, 5000)), [0, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(cappedDoubling(5000, 1000, 30_000), 30_000, 'a huge retry count is the cap, not Infinity or NaN');
  assert.equal(cappedDoubling(5000, 0, 30_000), 0);
});

test('both callers keep their numbers: supervisor restarts count the first try as attempt 1, runner retries count failed attempts', () => {
  // Supervisor: attempt 1 starts at once, attempt 2 (the first restart) waits backoffMs.
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => restartDelay(a, { backoffMs: 1000, backoffMaxMs: 5000 })), [0, 1000, 2000, 4000, 5000, 5000]);
  // Runner: after failed attempt 1 the wait is base (with random = 1; half of it with random = 0), capped at 30 s.
  assert.deepEqual([1, 2, 3, 4].map((n) => requestRetryDelay(n, 500, 1)), [500, 1000, 2000, 4000]);
  assert.deepEqual([1, 2, 3].map((n) => requestRetryDelay(n, 500, 0)), [250, 500, 1000]);
  assert.equal(requestRetryDelay(20, 500, 1), 30_000);
});
