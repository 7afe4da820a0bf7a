// Read queries over `alerts`, for the post-mortem CLI.
import type { Database } from '../../shared/sqlite.ts';
import type { AlertLevel } from './schema.ts';
import { sqlFilter } from './sql-filter.ts';

export interface AlertRow {
  readonly id: number;
  readonly at_ms: number;
  readonly level: AlertLevel;
  readonly kind: string;
  readonly message: string;
  readonly value: number | null;
  readonly run_id: number | null;
}

/** The newest `limit` alerts since `sinceMs` (or ever), oldest first so they read like a log. */
export async function listAlerts(db: Database, filter: { sinceMs?: number; runId?: number; limit: number }): Promise<AlertRow[]> {
  const { clause, params } = sqlFilter([['at_ms >= ?', filter.sinceMs], ['run_id = ?', filter.runId]]);
  const rows = await db.all<AlertRow>(`SELECT * FROM alerts ${clause} ORDER BY at_ms DESC, id DESC LIMIT ?`, [...params, filter.limit]);
  return rows.reverse();
}
