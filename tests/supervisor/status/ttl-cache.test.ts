import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ttlCache } from '../../../supervisor/status/ttl-cache.ts';

test('concurrent callers share one load, and the value is reused until the TTL passes', async () => {
  let clock = 0;
  let loads = 0;
  const get = ttlCache(async () => ++loads, 1000, () => clock);
  assert.deepEqual(await Promise.all(Array.from({ length: 50 }, get)), Array(50).fill(1));
  clock = 999;
  assert.equal(await get(), 1);
  clock = 1000;
  assert.equal(await get(), 2);
  assert.equal(loads, 2);
});

test('a failed load is not cached: the next call tries again', async () => {
  let fail = true;
  const get = ttlCache(async () => {
    if (fail) throw new Error('busy');
    return 'ok';
  }, 1000, () => 0);
  await assert.rejects(get(), /busy/);
  fail = false;
  assert.equal(await get(), 'ok');
});
