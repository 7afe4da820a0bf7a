import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN_STATUSES } from '../../../supervisor/vocabulary/words.ts';
import { runStatusFacts, RUN_STATUS_FACTS, statusesWhere, statusInSql } from '../../../supervisor/vocabulary/run-status.ts';

test('the run-status table: one row per status, pinned', () => {
  const columns = RUN_STATUSES.map((s) => {
    const f = RUN_STATUS_FACTS[s];
    return [s, f.restarts, f.countsAsKill, f.stoppedBySupervisor, f.cutShort, f.onceExitCode, f.feedsTrend, f.summaryLevel];
  });
  assert.deepEqual(columns, [
    ['running', false, false, false, false, 1, false, 'warn'],
    ['ok', false, false, false, false, 0, true, 'info'],
    ['failed', true, false, false, false, 1, true, 'warn'],
    ['killed', true, true, true, false, 3, true, 'warn'],
    ['timeout', true, true, true, false, 3, true, 'warn'],
    ['skipped', false, false, false, false, 1, false, 'warn'],
    ['orphaned', false, false, false, true, 1, true, 'warn'],
    ['interrupted', false, false, true, true, 0, true, 'info'],
  ]);
});

test('decisions read the table: the trend filter, unknown words', () => {
  assert.deepEqual(statusesWhere((f) => f.countsAsKill), ['killed', 'timeout']);
  assert.equal(statusInSql((f) => f.feedsTrend), "status IN ('ok', 'failed', 'killed', 'timeout', 'orphaned', 'interrupted')");
  assert.equal(runStatusFacts('exploded'), undefined, 'a status written by a newer supervisor has no facts here');
  assert.equal(runStatusFacts('killed')?.countsAsKill, true);
});
