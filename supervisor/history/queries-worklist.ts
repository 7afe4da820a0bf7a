// Read queries over `worklist_changes`, for the history CLI and the status page. A file from before schema 4 has no
// such table: it reads as holding no changes, as the read-only CLI reads older copies as they are.
import type { Database } from '../../shared/sqlite.ts';
import { sqlFilter } from './sql-filter.ts';

export interface WorklistChangeRow {
  readonly id: number;
  readonly journal_id: string;
  readonly seq: number;
  readonly row_id: number;
  readonly patient_id: string | null;
  readonly from_status: string;
  readonly to_status: string;
  readonly reason: string;
  readonly source: string;
  readonly record: string;
  readonly instance: string | null;
  readonly run_id: number | null;
  readonly at_ms: number;
  readonly received_at_ms: number;
}

/** One change as /memory-status and `history worklist --json` show it. */
export interface WorklistChangeView {
  readonly atMs: number;
  readonly rowId: number;
  readonly patientId: string | null;
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly reason: string;
  readonly source: string;
  readonly record: string;
  readonly instance: string | null;
  readonly runId: number | null;
}

export function worklistChangeView(row: WorklistChangeRow): WorklistChangeView {
  return {
    atMs: row.at_ms, rowId: row.row_id, patientId: row.patient_id, fromStatus: row.from_status, toStatus: row.to_status, reason: row.reason,
    source: row.source, record: row.record, instance: row.instance, runId: row.run_id,
  };
}

export async function hasWorklistChanges(db: Database): Promise<boolean> {
  return (await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'worklist_changes'")) !== undefined;
}

export interface WorklistFilter {
  readonly sinceMs?: number;
  readonly runId?: number;
}

/** The newest `limit` changes matching the filter, oldest first so they read like a log (the at_ms or run_id index). */
export async function listWorklistChanges(db: Database, filter: WorklistFilter & { limit: number }): Promise<WorklistChangeRow[]> {
  if (!(await hasWorklistChanges(db))) return [];
  const { clause, params } = sqlFilter([['at_ms >= ?', filter.sinceMs], ['run_id = ?', filter.runId]]);
  const rows = await db.all<WorklistChangeRow>(`SELECT * FROM worklist_changes ${clause} ORDER BY at_ms DESC, id DESC LIMIT ?`, [...params, filter.limit]);
  return rows.reverse();
}

export async function countWorklistChanges(db: Database, filter: WorklistFilter): Promise<number> {
  if (!(await hasWorklistChanges(db))) return 0;
  const { clause, params } = sqlFilter([['at_ms >= ?', filter.sinceMs], ['run_id = ?', filter.runId]]);
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM worklist_changes ${clause}`, params))?.n ?? 0;
}

/** One run's changes by reason (the run_id index), for `history run N`. */
export async function runWorklistCounts(db: Database, runId: number): Promise<Record<string, number>> {
  if (!(await hasWorklistChanges(db))) return {};
  const rows = await db.all<{ reason: string; n: number }>('SELECT reason, count(*) AS n FROM worklist_changes WHERE run_id = ? GROUP BY reason ORDER BY reason', [runId]);
  return Object.fromEntries(rows.map((row) => [row.reason, row.n]));
}

/** The newest `limit` changes, newest first, for the status page: walks the primary key backwards, a few rows. */
export async function recentWorklistChanges(db: Database, limit: number): Promise<WorklistChangeView[]> {
  const rows = await db.all<WorklistChangeRow>('SELECT * FROM worklist_changes ORDER BY id DESC LIMIT ?', [limit]);
  return rows.map(worklistChangeView);
}
