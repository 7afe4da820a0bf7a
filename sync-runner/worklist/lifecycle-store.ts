import type { WorklistChange, WorklistChangeReason } from '../../shared/protocol.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { OwnedRow, PlannedChange } from './lifecycle-plan.ts';
import { toWorklistError } from './worklist-schema.ts';

/** Who commits a change, stamped on each journal entry. */
export interface ChangeStamp {
  readonly journalId: string;
  readonly source: string;
  readonly runId: number | null;
  readonly atMs: number;
}

interface JournalRow {
  seq: number;
  row_id: number;
  patient_id: string | null;
  from_status: string;
  to_status: string;
  reason: WorklistChangeReason;
  source: string;
  record: string;
  instance: string | null;
  run_id: number | null;
  at_ms: number;
}

// The link must still describe the row: an id SQLite gave again after someone deleted our row is not ours.
const OWNED_ROWS = `SELECT w.id AS rowId, w.performed_procedure_step_status AS status, l.record, l.instance,
  w.scheduled_start_date AS date, w.patient_id AS patientId, l.canceled_reason AS canceledReason
  FROM sync_runner_row_links l JOIN worklist_items w ON w.id = l.row_id
  WHERE l.source = ? AND w.patient_id IS l.patient_id AND w.patient_name IS l.patient_name`;

/** The rows `source` inserted that are still in the worklist as it inserted them. */
export function readOwnedRows(db: Database, source: string): Promise<OwnedRow[]> {
  return db.all<OwnedRow>(OWNED_ROWS, [source]);
}

// One transaction for the changes given: each status change, its link's CANCELED mark and its journal entry commit
// together or not at all, so a SIGKILL at any instant leaves the three in agreement. The UPDATE names the status the
// plan saw: a row the scanner moved (e.g. to IN_PROGRESS) since it was read is left as the scanner left it.
export async function applyChanges(db: Database, changes: readonly PlannedChange[], stamp: ChangeStamp): Promise<WorklistChange[]> {
  try {
    return await db.transaction(async () => {
      const done: WorklistChange[] = [];
      for (const { row, reason, to } of changes) {
        const from = row.status ?? '';
        const updated = await db.run('UPDATE worklist_items SET performed_procedure_step_status = ? WHERE id = ? AND performed_procedure_step_status IS ?', [to, row.rowId, row.status]);
        if (updated.changes !== 1) continue;
        await db.run('UPDATE sync_runner_row_links SET canceled_reason = ? WHERE row_id = ?', [to === 'CANCELED' ? reason : null, row.rowId]);
        const entry = { rowId: row.rowId, patientId: row.patientId, fromStatus: from, toStatus: to, reason, source: stamp.source, record: row.record, instance: row.instance, runId: stamp.runId, atMs: stamp.atMs };
        const journalled = await db.get<{ seq: number }>(
          'INSERT INTO sync_runner_status_journal (row_id, patient_id, from_status, to_status, reason, source, record, instance, run_id, at_ms) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING seq',
          [entry.rowId, entry.patientId, from, to, reason, entry.source, entry.record, entry.instance, entry.runId, entry.atMs],
        );
        if (journalled === undefined) throw new Error('the journal insert returned no seq');
        done.push({ journalId: stamp.journalId, seq: journalled.seq, ...entry });
      }
      return done;
    });
  } catch (error) {
    throw toWorklistError(error, db.path);
  }
}

/** Journal entries after `afterSeq`, oldest first, at most `limit`. */
export async function journalAfter(db: Database, journalId: string, afterSeq: number, limit: number): Promise<WorklistChange[]> {
  const rows = await db.all<JournalRow>('SELECT * FROM sync_runner_status_journal WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
  return rows.map((r) => ({
    journalId, seq: r.seq, rowId: r.row_id, patientId: r.patient_id, fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason,
    source: r.source, record: r.record, instance: r.instance, runId: r.run_id, atMs: r.at_ms,
  }));
}
