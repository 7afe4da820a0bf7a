import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunRow } from '../../../supervisor/history/queries-runs.ts';
import { describeEnding } from '../../../supervisor/history-cli/run-summary.ts';

const row = (fields: Partial<RunRow>): RunRow => ({
  id: 1, tick_at_ms: 0, attempt: 1, pid: 10, pid_start_ticks: null, command: 'node runner.mjs', started_at_ms: 0, ended_at_ms: 1000,
  status: 'ok', reason: null, exit_code: 0, signal: null, force_killed: 0, peak_rss_bytes: null, peak_pid_count: null, sample_count: 0,
  warned_at_ms: null, emergency_at_ms: null, error: null, result_json: null, ...fields,
});

test('an ok run whose stragglers were reaped says so, and never that it outlived the grace period', () => {
  const said = describeEnding(row({ stragglers_killed: 2 }));
  assert.equal(said, 'finished normally, exit code 0; 2 process(es) it left behind were SIGKILLed after it ended');
  assert.doesNotMatch(said, /force-killed|grace/);
});

test('force-killed belongs to a kill; a file from before schema 3 (no stragglers column) reads as none', () => {
  assert.equal(
    describeEnding(row({ status: 'killed', reason: 'memory', exit_code: null, signal: 'SIGKILL', force_killed: 1 })),
    'killed by the supervisor (memory), signal SIGKILL; force-killed (it outlived the SIGTERM grace period, or crossed the hard limit)',
  );
  assert.equal(describeEnding(row({ status: 'timeout', reason: 'timeout', exit_code: null, signal: 'SIGTERM' })), 'timed out and was killed by the supervisor (timeout), signal SIGTERM');
});
