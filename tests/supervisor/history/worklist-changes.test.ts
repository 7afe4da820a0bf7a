// worklist_changes on a real history.db: written once per (journal, seq), and the gap-free watermark per journal.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WorklistChange } from '../../../shared/protocol.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { MAX_JOURNALS_REPORTED, readJournalReceived, writeWorklistChanges } from '../../../supervisor/history/worklist-changes.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const change = (journalId: string, seq: number): WorklistChange => ({
  journalId, seq, rowId: seq, patientId: `p${seq}`, fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: 'expired', source: 's', record: `r${seq}`, instance: null, runId: 1, atMs: seq,
});
const range = (journalId: string, from: number, to: number): WorklistChange[] => Array.from({ length: to - from + 1 }, (_, i) => change(journalId, from + i));

async function history() {
  return openHistoryForWrite(join(await tempDir(), 'history.db'));
}

test('a change is written once: a re-sent batch returns only what is new', async () => {
  const db = await history();
  try {
    assert.equal((await writeWorklistChanges(db, range('j', 1, 3), 10)).length, 3);
    const again = await writeWorklistChanges(db, range('j', 2, 5), 20);
    assert.deepEqual(again.map((c) => c.seq), [4, 5]);
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM worklist_changes'))?.n, 5);
    assert.equal((await db.get<{ received_at_ms: number }>("SELECT received_at_ms FROM worklist_changes WHERE seq = 2"))?.received_at_ms, 10, 'the first copy is kept');
  } finally {
    await db.close();
  }
});

test('the watermark is the largest seq with no gap below it, whatever order the islands arrive in', async () => {
  const db = await history();
  try {
    await writeWorklistChanges(db, [...range('a', 3, 4), ...range('b', 1, 2)], 1);
    assert.deepEqual(await readJournalReceived(db), { a: 0, b: 2 }, 'seq 1 missing: 0');
    await writeWorklistChanges(db, [...range('a', 7, 9), change('a', 1)], 2);
    assert.deepEqual((await readJournalReceived(db)).a, 1);
    await writeWorklistChanges(db, [change('a', 2)], 3);
    assert.deepEqual((await readJournalReceived(db)).a, 4, '1–4 whole; 5 missing');
    await writeWorklistChanges(db, range('a', 5, 6), 4);
    assert.deepEqual((await readJournalReceived(db)).a, 9);
  } finally {
    await db.close();
  }
});

test('the runner is told of the most recently written journals only, at most 64', async () => {
  const db = await history();
  try {
    for (let i = 0; i < MAX_JOURNALS_REPORTED + 6; i++) await writeWorklistChanges(db, [change(`j${String(i).padStart(3, '0')}`, 1)], 1000 + i);
    const told = await readJournalReceived(db);
    assert.equal(Object.keys(told).length, MAX_JOURNALS_REPORTED);
    assert.ok(!('j000' in told) && !('j005' in told) && 'j006' in told && 'j069' in told);
    // Writing to an old journal again makes it recent again.
    await writeWorklistChanges(db, [change('j000', 2)], 5000);
    assert.equal((await readJournalReceived(db)).j000, 2);
  } finally {
    await db.close();
  }
});

test('a watermark left low (a kill between the insert and its update) is healed by the re-send it causes', async () => {
  const db = await history();
  try {
    await writeWorklistChanges(db, range('j', 1, 6), 1);
    await db.run("UPDATE worklist_journals SET received_through = 2 WHERE journal_id = 'j'"); // as if the UPDATE never ran
    assert.deepEqual(await readJournalReceived(db), { j: 2 });
    const fresh = await writeWorklistChanges(db, range('j', 3, 6), 2); // the runner re-sends what it was told is missing
    assert.deepEqual(fresh, []);
    assert.deepEqual(await readJournalReceived(db), { j: 6 });
  } finally {
    await db.close();
  }
});
