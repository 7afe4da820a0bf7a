import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { tempDir } from '../../helpers/temp-dir.ts';
import { jsonItemsInThread } from '../../../sync-runner/sources/json-export-thread.ts';

// The reader thread's life: it is gone whenever the reading ends, however it ends. Each test has a timeout, as the
// failure this guards against is a hang.

const dir = await tempDir('json-export-thread-');
/** Some 40 of the thread's reads: with at most two messages untaken it cannot get to the end on its own. */
const BIG = join(dir, 'big.json');
await writeFile(BIG, JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ record_id: String(i), note: 'x'.repeat(200) }))));

/** The workers started while `run` runs, seen through Node's worker_threads diagnostics channel. */
async function watchingWorkers<T>(run: (workers: Worker[]) => Promise<T>): Promise<T> {
  const workers: Worker[] = [];
  const onWorker = (message: unknown) => void workers.push((message as { worker: Worker }).worker);
  subscribe('worker_threads', onWorker);
  try {
    return await run(workers);
  } finally {
    unsubscribe('worker_threads', onWorker);
  }
}

/** A worker's threadId turns -1 once its thread has stopped. */
const stopped = (worker: Worker | undefined) => worker !== undefined && worker.threadId === -1;

test('an abort mid-file fails the next read with an AbortError and the thread is stopped', { timeout: 20_000 }, async () => {
  await watchingWorkers(async (workers) => {
    const controller = new AbortController();
    const items = jsonItemsInThread(BIG, controller.signal);
    assert.ok(((await items.next()).value?.length ?? 0) > 0);
    assert.equal(workers.length, 1);
    assert.ok(!stopped(workers[0]), 'running while there is more to read');
    controller.abort(new Error('SIGTERM'));
    await assert.rejects(items.next(), { name: 'AbortError' });
    assert.ok(stopped(workers[0]));
  });
});

test('a caller that stops early (return, or break out of for await) stops the thread', { timeout: 20_000 }, async () => {
  await watchingWorkers(async (workers) => {
    const items = jsonItemsInThread(BIG, new AbortController().signal);
    await items.next();
    assert.deepEqual(await items.return(undefined), { done: true, value: undefined });
    for await (const group of jsonItemsInThread(BIG, new AbortController().signal)) if (group.length > 0) break;
    assert.equal(workers.length, 2);
    assert.ok(workers.every(stopped));
  });
});

test('a thread that dies before the end of the file is an error after the rows it sent, not a hang', { timeout: 20_000 }, async () => {
  await watchingWorkers(async (workers) => {
    const items = jsonItemsInThread(BIG, new AbortController().signal);
    await items.next();
    await workers[0]?.terminate(); // as a crash would end it
    let groups = 0;
    await assert.rejects(async () => {
      for (let next = await items.next(); !next.done; next = await items.next()) groups++;
    }, /the JSON export reader thread stopped \(exit code 1\) before it had finished/);
    assert.ok(groups <= 2, `only what was already sent (${groups} groups)`);
  });
});

test('an already aborted signal starts no thread', async () => {
  await watchingWorkers(async (workers) => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(jsonItemsInThread(BIG, controller.signal).next(), { name: 'AbortError' });
    assert.equal(workers.length, 0);
  });
});
