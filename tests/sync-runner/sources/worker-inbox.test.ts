import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { WorkerInbox } from '../../../sync-runner/sources/worker-inbox.ts';

// Each test has a timeout: the failure WorkerInbox guards against is a reader waiting forever on a dead worker.

const worker = (code: string) => new Worker(`const { parentPort } = require('node:worker_threads'); ${code}`, { eval: true });
const inboxOf = (code: string, signal = new AbortController().signal) => new WorkerInbox<string>(worker(code), signal, 'the test thread');

test('messages come in order; a clean exit after them ends the inbox with an error once they are taken', { timeout: 10_000 }, async () => {
  const inbox = inboxOf(`parentPort.postMessage('a'); parentPort.postMessage('b');`);
  assert.equal(await inbox.next(), 'a');
  assert.equal(await inbox.next(), 'b');
  await assert.rejects(inbox.next(), /the test thread stopped \(exit code 0\) before it had finished/);
});

test('a worker that throws, or exits with a code, fails the wait with what happened', { timeout: 10_000 }, async () => {
  await assert.rejects(inboxOf(`throw new Error('boom');`).next(), /the test thread failed: boom/);
  const exits = inboxOf(`parentPort.postMessage('last words'); process.exit(3);`);
  assert.equal(await exits.next(), 'last words');
  await assert.rejects(exits.next(), /the test thread stopped \(exit code 3\)/);
});

test('an abort ends the wait at once and stops the worker', { timeout: 10_000 }, async () => {
  const controller = new AbortController();
  const busy = worker(`setInterval(() => {}, 1000); parentPort.postMessage('started');`);
  const terminate = busy.terminate.bind(busy);
  let terminations = 0;
  busy.terminate = () => (terminations++, terminate());
  const inbox = new WorkerInbox<string>(busy, controller.signal, 'the test thread');
  assert.equal(await inbox.next(), 'started');
  const waiting = inbox.next();
  controller.abort();
  await assert.rejects(waiting, { name: 'AbortError' });
  assert.equal(terminations, 1, 'the abort itself stopped the worker, before anyone closed the inbox');
  await inbox.stop();
  assert.equal(busy.threadId, -1);
});

test('a worker nobody waits on does not keep the process alive', { timeout: 20_000 }, async () => {
  // A reader dropped between two reads: its worker would run forever, but the process still ends.
  const script = `
    import { Worker } from 'node:worker_threads';
    import { WorkerInbox } from ${JSON.stringify(new URL('../../../sync-runner/sources/worker-inbox.ts', import.meta.url).href)};
    const forever = new Worker("setInterval(() => {}, 1000); import('node:worker_threads').then((w) => w.parentPort.postMessage('hi'))", { eval: true });
    const inbox = new WorkerInbox(forever, new AbortController().signal, 'the test thread');
    process.stdout.write(await inbox.next());`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000 });
  assert.equal(stdout, 'hi', 'it waited for the message, then exited on its own');
});
