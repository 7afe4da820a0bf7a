// The alert outbox in history.db: one `alert_deliveries` row per (alert, sink), written with its alert in one
// transaction, claimed before each attempt, and closed as delivered or failed. The worker (alerts/delivery-worker.ts)
// decides when; this file only moves rows.
import type { Database } from '../../shared/sqlite.ts';
import type { AlertRow } from './queries-alerts.ts';
import type { CurrentRunRow } from './queries-runs.ts';
import type { AlertLevel } from '../vocabulary/words.ts';

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface AlertToWrite {
  readonly atMs: number;
  readonly level: AlertLevel;
  readonly kind: string;
  readonly message: string;
  readonly value: number | null;
  readonly runId: number | null;
}

export interface NewDelivery {
  readonly sink: string;
  readonly idempotencyKey: string;
}

/** SQL text literal or number; only for the one-shot script below, whose values never come from a remote party. */
function literal(value: string | number | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return `'${value.replaceAll('\u0000', '').replaceAll("'", "''")}'`;
}

/**
 * Writes an alert and its deliveries together, so a SIGKILL between the two can never leave an alert that no sink
 * will hear of. One `exec` of a whole script: node-sqlite3 runs it as one exclusive job, so no other statement on
 * this connection can slip into the transaction (the sample buffer's writes, say), which BEGIN … await … COMMIT
 * over several calls would allow. The alert's id is max(id) inside the transaction: `alerts.id` is a rowid.
 */
export async function insertAlertWithDeliveries(db: Database, alert: AlertToWrite, deliveries: readonly NewDelivery[]): Promise<number> {
  const alertId = '(SELECT max(id) FROM alerts)';
  const rows = deliveries.map((d) => `(${alertId}, ${literal(d.sink)}, ${literal(d.idempotencyKey)}, 'pending', 0, ${literal(alert.atMs)}, ${literal(alert.atMs)})`);
  const script = [
    'BEGIN IMMEDIATE;',
    `INSERT INTO alerts (at_ms, level, kind, message, value, run_id) VALUES (${[alert.atMs, alert.level, alert.kind, alert.message, alert.value, alert.runId].map(literal).join(', ')});`,
    `INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, attempts, next_attempt_at_ms, created_at_ms) VALUES ${rows.join(', ')};`,
    'COMMIT;',
  ].join('\n');
  try {
    await db.exec(script);
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
  const row = await db.get<{ alert_id: number }>('SELECT alert_id FROM alert_deliveries WHERE idempotency_key = ?', [deliveries[0]?.idempotencyKey ?? '']);
  return row?.alert_id ?? 0;
}

/** Writes an alert, with its deliveries in the same transaction when there are any; returns the alert's id. */
export async function insertAlert(db: Database, alert: AlertToWrite, deliveries: readonly NewDelivery[]): Promise<number> {
  if (deliveries.length > 0) return insertAlertWithDeliveries(db, alert, deliveries);
  const result = await db.run('INSERT INTO alerts (at_ms, level, kind, message, value, run_id) VALUES (?, ?, ?, ?, ?, ?)', [
    alert.atMs, alert.level, alert.kind, alert.message, alert.value, alert.runId,
  ]);
  return result.lastID;
}

/**
 * A pending delivery with the alert and the limits of its run, as the sinks need them: `id` is the delivery's, the
 * alert's columns are its `alerts` row's (its id as `alert_id`), and the limits are null for an alert with no run.
 */
export interface DueDelivery
  extends Omit<AlertRow, 'id'>, Pick<CurrentRunRow, 'warn_mb' | 'emergency_mb' | 'hard_limit_mb' | 'grace_ms' | 'timeout_ms'> {
  readonly id: number;
  readonly sink: string;
  readonly idempotency_key: string;
  readonly attempts: number;
  readonly created_at_ms: number;
  readonly alert_id: number;
}

/** Pending rows due by `nowMs`, oldest first; the (state, next_attempt_at_ms) index finds them. */
export function dueDeliveries(db: Database, nowMs: number, limit: number): Promise<DueDelivery[]> {
  return db.all<DueDelivery>(
    `SELECT d.id, d.sink, d.idempotency_key, d.attempts, d.created_at_ms, d.alert_id,
            a.at_ms, a.level, a.kind, a.message, a.value, a.run_id,
            r.warn_mb, r.emergency_mb, r.hard_limit_mb, r.grace_ms, r.timeout_ms
       FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id LEFT JOIN runs r ON r.id = a.run_id
      WHERE d.state = 'pending' AND d.next_attempt_at_ms <= ?
      ORDER BY d.next_attempt_at_ms, d.id LIMIT ?`,
    [nowMs, limit],
  );
}

/** A delivery whose alert row is still there: the rows dueDeliveries can return (it JOINs alerts). */
const HAS_ALERT = 'EXISTS (SELECT 1 FROM alerts a WHERE a.id = alert_deliveries.alert_id)';

/**
 * When the next pending row falls due, or undefined when none is pending. Only rows dueDeliveries would return: a
 * row whose alert was deleted (by hand, or by a tool with foreign keys off) would otherwise be "due" for ever and
 * never taken, and the worker would wake for it in a tight loop.
 */
export async function nextDueAt(db: Database): Promise<number | undefined> {
  const row = await db.get<{ at: number | null }>(`SELECT min(next_attempt_at_ms) AS at FROM alert_deliveries WHERE state = 'pending' AND ${HAS_ALERT}`);
  return row?.at ?? undefined;
}

/** Deletes deliveries whose alert is gone (there is nothing left to send); returns how many. */
export async function deleteOrphanDeliveries(db: Database): Promise<number> {
  const { changes } = await db.run(`DELETE FROM alert_deliveries WHERE NOT ${HAS_ALERT}`);
  return changes;
}

/**
 * Takes a due row for one attempt: counts the attempt and pushes its due time past the attempt's deadline (a lease),
 * before anything is sent. False when the row is no longer due (delivered or claimed meanwhile). A supervisor killed
 * mid-attempt leaves the row pending, due again once the lease runs out.
 */
export async function claimDelivery(db: Database, id: number, nowMs: number, leaseUntilMs: number): Promise<boolean> {
  const { changes } = await db.run(
    "UPDATE alert_deliveries SET attempts = attempts + 1, next_attempt_at_ms = ? WHERE id = ? AND state = 'pending' AND next_attempt_at_ms <= ?",
    [leaseUntilMs, id, nowMs],
  );
  return changes === 1;
}

/** `note` (kept in last_error) says what was odd about an attempt that still counted, e.g. an answer cut at its cap. */
export async function markDelivered(db: Database, id: number, nowMs: number, note: string | null = null): Promise<void> {
  await db.run("UPDATE alert_deliveries SET state = 'delivered', delivered_at_ms = ?, last_error = ? WHERE id = ? AND state = 'pending'", [nowMs, note, id]);
}

/** After a failed attempt: due again at `nextAttemptAtMs`, or given up (`failed`) when that is undefined. */
export async function markAttemptFailed(db: Database, id: number, error: string, nextAttemptAtMs: number | undefined): Promise<void> {
  if (nextAttemptAtMs === undefined) {
    await db.run("UPDATE alert_deliveries SET state = 'failed', last_error = ? WHERE id = ? AND state = 'pending'", [error, id]);
  } else {
    await db.run("UPDATE alert_deliveries SET last_error = ?, next_attempt_at_ms = ? WHERE id = ? AND state = 'pending'", [error, nextAttemptAtMs, id]);
  }
}

export interface DeliveryCounts {
  readonly pending: number;
  readonly failed: number;
}

/** Pending and failed deliveries for /memory-status and /metrics. Delivered rows are not counted: they are the norm. */
export async function deliveryCounts(db: Database): Promise<DeliveryCounts> {
  const rows = await db.all<{ state: DeliveryState; n: number }>(`SELECT state, count(*) AS n FROM alert_deliveries WHERE state IN ('pending', 'failed') AND ${HAS_ALERT} GROUP BY state`);
  return { pending: rows.find((r) => r.state === 'pending')?.n ?? 0, failed: rows.find((r) => r.state === 'failed')?.n ?? 0 };
}
