import assert from 'node:assert/strict';
import { getEventListeners, once } from 'node:events';
import { test } from 'node:test';
import { startRequestDeadline } from '../../shared/request-deadline.ts';

test('startRequestDeadline: the timer aborts the request and says so', async () => {
  const run = new AbortController();
  const deadline = startRequestDeadline(run.signal, 20);
  await once(deadline.signal, 'abort');
  assert.equal(deadline.timedOut(), true);
  assert.match(String((deadline.signal.reason as Error).message), /no complete answer within 20 ms/);
  deadline.release();
  assert.equal(getEventListeners(run.signal, 'abort').length, 0);
});

test('startRequestDeadline: the run\'s abort reaches the request with the run\'s reason, and is not a timeout', () => {
  const run = new AbortController();
  const deadline = startRequestDeadline(run.signal, 60_000);
  assert.equal(getEventListeners(run.signal, 'abort').length, 1);
  run.abort(new Error('SIGTERM'));
  assert.equal(deadline.signal.aborted, true);
  assert.equal((deadline.signal.reason as Error).message, 'SIGTERM');
  assert.equal(deadline.timedOut(), false);
  deadline.release();

  const already = startRequestDeadline(run.signal, 60_000);
  assert.equal(already.signal.aborted, true, 'a run aborted before the request starts aborts it at once');
  already.release();
});

test('startRequestDeadline: release() leaves no listener on the run\'s signal and no timer, over many requests', async () => {
  const run = new AbortController();
  for (let i = 0; i < 1000; i++) startRequestDeadline(run.signal, 60_000).release();
  assert.equal(getEventListeners(run.signal, 'abort').length, 0, 'no listener left (and no MaxListeners warning)');
  const released = startRequestDeadline(run.signal, 5);
  released.release();
  const witness = startRequestDeadline(run.signal, 30);
  await once(witness.signal, 'abort');
  witness.release();
  assert.equal(released.signal.aborted, false, 'a released deadline never fires');
});
