// The write side of `worklist_changes` and what the next runner is told history holds of each worklist's journal.
//
// Retention never prunes these rows: they are the audit record of every visit the sync hid from (or put back on) the
// scanner's worklist, one row per real change in REDCap or per expiry, so the table grows with the worklist itself
// (about 200 bytes a change), not with time. `worklist_journals` keeps each journal's gap-free watermark apart from
// the rows, so the journal-received computation would stay right even if rows were ever pruned.
import type { Database, SqlValue } from '../../shared/sqlite.ts';
import type { WorklistChange, WorklistChangeReason } from '../../shared/protocol.ts';

/** The journals the runner is told about: the most recently written. A worklist whose file was replaced starts a new one. */
export const MAX_JOURNALS_REPORTED = 64;

const COLUMNS = ['journal_id', 'seq', 'row_id', 'patient_id', 'from_status', 'to_status', 'reason', 'source', 'record', 'instance', 'run_id', 'at_ms', 'received_at_ms'] as const;

function rowValues(change: WorklistChange, receivedAtMs: number): SqlValue[] {
  return [change.journalId, change.seq, change.rowId, change.patientId, change.fromStatus, change.toStatus, change.reason, change.source,
    change.record, change.instance, change.runId, change.atMs, receivedAtMs];
}

/** A journal's row, created at watermark 0, marked as just written (the runner is told of the newest 64). */
const TOUCH_JOURNAL = `INSERT INTO worklist_journals (journal_id, received_through, written_at_ms) VALUES (?1, 0, ?2)
  ON CONFLICT (journal_id) DO UPDATE SET written_at_ms = excluded.written_at_ms`;

/**
 * Advances a journal's watermark to the largest seq S with every entry 1..S present. Starts from the stored one, so
 * it reads only the rows above it (the unique index), never the whole journal. One statement: atomic on its own.
 */
const ADVANCE_THROUGH = `
  UPDATE worklist_journals SET received_through = COALESCE((
    SELECT min(w.seq) FROM worklist_changes w
     WHERE w.journal_id = ?1 AND w.seq > worklist_journals.received_through
       AND EXISTS (SELECT 1 FROM worklist_changes n WHERE n.journal_id = ?1 AND n.seq = worklist_journals.received_through + 1)
       AND NOT EXISTS (SELECT 1 FROM worklist_changes x WHERE x.journal_id = ?1 AND x.seq = w.seq + 1)
  ), received_through)
  WHERE journal_id = ?1`;

/**
 * Writes one message's changes (at most MAX_CHANGES_PER_MESSAGE, so one multi-row statement) and returns those new
 * to this file: a change already here (re-sent after a kill) is ignored. No explicit transaction: other writers share
 * this connection. A kill between the insert and the watermark leaves the watermark low, which only makes the next
 * runner re-send a few entries; the next write of that journal advances it.
 */
export async function writeWorklistChanges(db: Database, changes: readonly WorklistChange[], receivedAtMs: number): Promise<WorklistChange[]> {
  if (changes.length === 0) return [];
  const placeholders = changes.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
  const inserted = await db.all<{ journal_id: string; seq: number }>(
    `INSERT OR IGNORE INTO worklist_changes (${COLUMNS.join(', ')}) VALUES ${placeholders} RETURNING journal_id, seq`,
    changes.flatMap((change) => rowValues(change, receivedAtMs)),
  );
  for (const journalId of new Set(changes.map((c) => c.journalId))) {
    await db.run(TOUCH_JOURNAL, [journalId, receivedAtMs]);
    await db.run(ADVANCE_THROUGH, [journalId]);
  }
  const fresh = new Set(inserted.map((row) => `${row.journal_id}\u0000${row.seq}`));
  return changes.filter((c) => fresh.has(`${c.journalId}\u0000${c.seq}`));
}

/** `{ journalId: seq }`: every entry of that journal with a seq at or below it is in this file (childEnv.journalReceived). */
export async function readJournalReceived(db: Database): Promise<Record<string, number>> {
  const rows = await db.all<{ journal_id: string; received_through: number }>(
    'SELECT journal_id, received_through FROM worklist_journals ORDER BY written_at_ms DESC, journal_id LIMIT ?',
    [MAX_JOURNALS_REPORTED],
  );
  return Object.fromEntries(rows.map((row) => [row.journal_id, row.received_through]));
}

/** Every change this file holds, by reason: read once at start (then counted on receipt), never per scrape. */
export async function countWorklistChangesByReason(db: Database): Promise<Partial<Record<WorklistChangeReason, number>>> {
  const rows = await db.all<{ reason: WorklistChangeReason; n: number }>('SELECT reason, count(*) AS n FROM worklist_changes GROUP BY reason');
  return Object.fromEntries(rows.map((row) => [row.reason, row.n]));
}
