// Read queries over `alerts`, for the post-mortem CLI.
import type { Database } from '../../shared/sqlite.ts';
import type { AlertLevel } from '../vocabulary/words.ts';
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

/** The newest `limit` alerts since `sinceMs` (or ever), newest first, as `history runs` lists runs. */
export async function listAlerts(db: Database, filter: { sinceMs?: number; runId?: number; limit: number }): Promise<AlertRow[]> {
  const { clause, params } = sqlFilter([['at_ms >= ?', filter.sinceMs], ['run_id = ?', filter.runId]]);
  return db.all<AlertRow>(`SELECT * FROM alerts ${clause} ORDER BY at_ms DESC, id DESC LIMIT ?`, [...params, filter.limit]);
}

export interface AlertDeliveryRow {
  readonly alert_id: number;
  readonly sink: string;
  readonly state: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly next_attempt_at_ms: number;
  readonly last_error: string | null;
  readonly delivered_at_ms: number | null;
}

/** The outbox rows of these alerts, by alert id; empty for a history written before schema 3 (no outbox yet). */
export async function listDeliveries(db: Database, alertIds: readonly number[]): Promise<Map<number, AlertDeliveryRow[]>> {
  const byAlert = new Map<number, AlertDeliveryRow[]>();
  const table = await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alert_deliveries'");
  if (!table || alertIds.length === 0) return byAlert;
  const rows = await db.all<AlertDeliveryRow>(
    `SELECT alert_id, sink, state, attempts, next_attempt_at_ms, last_error, delivered_at_ms FROM alert_deliveries
      WHERE alert_id IN (SELECT value FROM json_each(?)) ORDER BY alert_id, sink`,
    [JSON.stringify(alertIds)],
  );
  for (const row of rows) byAlert.set(row.alert_id, [...(byAlert.get(row.alert_id) ?? []), row]);
  return byAlert;
}
