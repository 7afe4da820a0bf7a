import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStatus, shouldRestart } from '../../../supervisor/run/run-outcome.ts';
import { RUN_STATUSES } from '../../../supervisor/vocabulary/words.ts';

test('run status: the termination reason decides first, then the exit', () => {
  const base = { exitCode: 0, signal: null, spawnError: false };
  assert.equal(runStatus({ ...base, reason: undefined }), 'ok');
  assert.equal(runStatus({ ...base, reason: 'memory', exitCode: null, signal: 'SIGTERM' }), 'killed');
  assert.equal(runStatus({ ...base, reason: 'timeout' }), 'timeout');
  assert.equal(runStatus({ ...base, reason: 'shutdown' }), 'interrupted');
  assert.equal(runStatus({ ...base, reason: 'protocol' }), 'failed', 'a runner that broke the channel fails whatever its exit code');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: 2 }), 'failed');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: null, signal: 'SIGSEGV' }), 'failed');
  assert.equal(runStatus({ ...base, reason: undefined, exitCode: null, spawnError: true }), 'failed');
});

test('shouldRestart reads the run-status table: a kill or a failure restarts, nothing else does', () => {
  assert.deepEqual(RUN_STATUSES.filter(shouldRestart), ['failed', 'killed', 'timeout']);
});
