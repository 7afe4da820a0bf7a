import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAhead } from '../../../sync-runner/run/read-ahead.ts';

/** A source that logs when each item is asked for and handed over, and whether it was closed. */
function loggedSource(items: number, failAt?: number) {
  const log: string[] = [];
  let failing: () => void = () => undefined;
  const failed = new Promise<void>((resolve) => (failing = resolve));
  async function* source(): AsyncGenerator<number> {
    try {
      for (let i = 0; i < items; i++) {
        log.push(`make ${i}`);
        await new Promise((resolve) => setImmediate(resolve));
        if (i === failAt) {
          failing();
          throw new Error(`item ${i} is unreadable`);
        }
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }
  return { log, items: source(), failed };
}

test('readAhead: item N+1 is being made while the caller still works on item N, in order', async () => {
  const { log, items } = loggedSource(3);
  const seen: number[] = [];
  for await (const item of readAhead(items)) {
    log.push(`use ${item}`);
    // The caller's own awaited work (a batch write): the next item is made meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    log.push(`done ${item}`);
    seen.push(item);
  }
  assert.deepEqual(seen, [0, 1, 2]);
  // Made before the caller finished with the item before it.
  assert.ok(log.indexOf('make 1') < log.indexOf('done 0'), log.join(', '));
  assert.ok(log.indexOf('make 2') < log.indexOf('done 1'), log.join(', '));
  // The read-ahead meets the end while the caller still holds item 2.
  assert.ok(log.indexOf('closed') < log.indexOf('use 2'), log.join(', '));
});

test('readAhead: a caller that stops early closes the source once the item in flight is done', async () => {
  const { log, items } = loggedSource(10);
  for await (const item of readAhead(items)) {
    if (item === 1) break;
  }
  assert.equal(log.at(-1), 'closed');
  assert.ok(!log.includes('make 3'), `read at most one item ahead: ${log.join(', ')}`);
});

test('readAhead: a failure in the item read ahead surfaces when the caller reaches it, never as an unhandled rejection', async () => {
  const { items, failed } = loggedSource(5, 1);
  const seen: number[] = [];
  await assert.rejects(async () => {
    for await (const item of readAhead(items)) {
      // The caller is still busy with item 0 when the item read ahead fails, and a turn later: by then an unhandled
      // rejection would have been reported (and fail this test).
      await failed;
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(item);
    }
  }, /item 1 is unreadable/);
  assert.deepEqual(seen, [0]);
});
