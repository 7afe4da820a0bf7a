import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restartDelay } from '../../../supervisor/schedule/restart-delay.ts';

test('restartDelay: attempt 1 starts at once, attempt 2 (the first restart) waits backoffMs, then doubling to the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => restartDelay(a, { backoffMs: 1000, backoffMaxMs: 5000 })), [0, 1000, 2000, 4000, 5000, 5000]);
});
