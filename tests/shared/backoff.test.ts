import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cappedDoubling } from '../../shared/backoff.ts';

test('cappedDoubling: no wait before the first try, then base, doubling, capped; a zero base never waits', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => cappedDoubling(n, 1000, 5000)), [0, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(cappedDoubling(5000, 1000, 30_000), 30_000, 'a huge retry count is the cap, not Infinity or NaN');
  assert.equal(cappedDoubling(5000, 0, 30_000), 0);
});
