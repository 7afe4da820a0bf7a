// WorklistReceiver: a run's messages written in order, bounded while history.db lags, trouble logged once, nothing
// counted twice; and the refusals read out of a result without trusting its shape.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ResultMessage, WorklistChange } from '../../../shared/protocol.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { writeWorklistChanges } from '../../../supervisor/history/worklist-changes.ts';
import { lifecycleRefusals } from '../../../supervisor/run/lifecycle-refusals.ts';
import { MAX_QUEUED_MESSAGES, receiptText, WorklistReceiver } from '../../../supervisor/run/worklist-receiver.ts';
import { capturedLogger } from '../../helpers/captured-logger.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const change = (seq: number): WorklistChange => ({
  journalId: 'j', seq, rowId: seq, patientId: null, fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: 'expired', source: 's', record: `r${seq}`, instance: null, runId: 3, atMs: seq,
});

test('messages past the queue bound while history.db lags are dropped with one warning, and the receipt says so', async () => {
  const db = await openHistoryForWrite(join(await tempDir(), 'history.db'));
  const { logger, entries } = capturedLogger();
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const counted: WorklistChange[] = [];
  const receiver = new WorklistReceiver({
    runId: 3, logger, now: () => 1,
    write: async (changes, at) => {
      await gate; // history.db is slow: nothing is written until the test opens the gate
      return writeWorklistChanges(db, changes, at);
    },
    written: (changes) => counted.push(...changes),
  });
  try {
    for (let seq = 1; seq <= MAX_QUEUED_MESSAGES + 5; seq++) receiver.receive([change(seq)]);
    receiver.receive([change(1)]); // a re-send of the first, also past the bound
    open();
    const receipt = await receiver.settled();
    assert.deepEqual(receipt, { written: MAX_QUEUED_MESSAGES, alreadyHeld: 0, notWritten: 6 });
    assert.equal(counted.length, MAX_QUEUED_MESSAGES);
    assert.equal(entries.filter((l) => l.level === 'warn').length, 1, 'one warning for the whole run');
    assert.match(entries[0]?.message ?? '', /^run 3: more than 20 worklist-changes messages \(10000 changes\) waiting for history\.db; dropping the rest of this run's, which the runner re-sends at the next run$/);
    assert.equal(receiptText(receipt), 'worklist status changes: 20 written, 6 not written (re-sent next run)');
    // Below the bound again, messages are taken: the re-send of 1 is recognised as held, 21 is new.
    receiver.receive([change(1), change(MAX_QUEUED_MESSAGES + 1)]);
    assert.deepEqual(await receiver.settled(), { written: MAX_QUEUED_MESSAGES + 1, alreadyHeld: 1, notWritten: 6 });
  } finally {
    await db.close();
  }
});

test('a failed write is logged once per run and counted, and the receiver goes on', async () => {
  const { logger, entries } = capturedLogger();
  let calls = 0;
  const receiver = new WorklistReceiver({
    runId: 4, logger, now: () => 1, written: () => undefined,
    write: async (changes) => {
      calls += 1;
      if (calls <= 2) throw new Error('SQLITE_FULL: database or disk is full');
      return changes;
    },
  });
  receiver.receive([change(1)]);
  receiver.receive([change(2), change(3)]);
  receiver.receive([change(4)]);
  assert.deepEqual(await receiver.settled(), { written: 1, alreadyHeld: 0, notWritten: 3 });
  assert.deepEqual(entries.map((l) => [l.level, l.message]), [['error', 'run 4: cannot write worklist changes to history.db: SQLITE_FULL: database or disk is full; the runner re-sends them at the next run']]);
});

test('refusals are read from a result whatever shape its lifecycle has; a refusal is never lost to a bad field', () => {
  const source = { status: 'ok', fetched: 0, mriRows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, warnings: [], durationMs: 0 } as const;
  const result = {
    type: 'result', durationMs: 1,
    sources: [
      { ...source, name: 'a', lifecycle: { dryRun: false, changed: {}, kept: 0, visible: 10, snapshotRecords: 5, refused: { code: 'X', message: 'm', wouldHide: 5, visible: 10 } } },
      { ...source, name: 'b', lifecycle: { dryRun: false, changed: { expired: 1 }, kept: 0, visible: 10, snapshotRecords: 5 } },
      { ...source, name: 'c' },
      { ...source, name: 'd', lifecycle: { refused: { code: 42, wouldHide: -1, visible: 'many', message: 'x'.repeat(900) } } },
    ],
  } as unknown as ResultMessage;
  assert.deepEqual(lifecycleRefusals(result), [
    { source: 'a', code: 'X', message: 'm', wouldHide: 5, visible: 10 },
    { source: 'd', code: 'UNKNOWN', message: 'x'.repeat(500), wouldHide: 0, visible: 0 },
  ]);
  assert.deepEqual(lifecycleRefusals(null), []);
});
