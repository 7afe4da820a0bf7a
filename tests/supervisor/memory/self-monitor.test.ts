import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import { FailureEpisode } from '../../../shared/failure-episode.ts';
import { monitorSelf } from '../../../supervisor/memory/self-monitor.ts';
import { capturedLogger } from '../../helpers/harness.ts';

test('a failing self-sample is logged once per episode, every failure counted, and the recovery said', async () => {
  const { logger, lines } = capturedLogger();
  const failures = new FailureEpisode('supervisor self-sample', logger);
  const stop = new AbortController();
  // Two failures, a success, one more failure, then a success that ends the loop.
  const script = [new Error('disk is full'), new Error('disk is full'), undefined, new Error('database is locked'), undefined];
  let calls = 0;
  await monitorSelf({
    intervalMs: 1,
    signal: stop.signal,
    now: () => 0,
    failures,
    onSample: () => {
      const step = script[calls++];
      if (calls === script.length) stop.abort();
      if (step) throw step;
    },
  });
  await closeLogger(logger);
  assert.equal(calls, script.length, 'the loop keeps sampling after a failure');
  assert.equal(failures.total, 3);
  assert.equal(failures.failing, false);
  const said = lines.filter((l) => l.includes('self-sample'));
  assert.equal(said.length, 4, said.join('\n'));
  assert.match(said[0] ?? '', /error.*supervisor self-sample failed: disk is full/);
  assert.match(said[1] ?? '', /works again after 2 failed attempt/);
  assert.match(said[2] ?? '', /failed: database is locked/);
  assert.match(said[3] ?? '', /works again after 1 failed attempt/);
});
