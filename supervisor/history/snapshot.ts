// The part of /memory-status (and /metrics) that comes from history.db: recent runs, alert counts, the last good sync.
import type { Database } from '../../shared/sqlite.ts';
import { ALERT_LEVELS, type AlertLevel, type RunStatus } from '../vocabulary/words.ts';
import { deliveryCounts, type DeliveryCounts } from './outbox.ts';
import { readOpenAlerts, type OpenAlert } from './queries-open-alerts.ts';
import type { CurrentRunRow } from './queries-runs.ts';
import { runFailureOfRow, type RunFailure } from './run-failure.ts';
import { recentWorklistChanges, type WorklistChangeView } from './queries-worklist.ts';

export type { OpenAlert };

export interface RecentRun {
  readonly id: number;
  readonly attempt: number;
  readonly startedAtMs: number;
  /** Null while the run is still going. */
  readonly durationMs: number | null;
  readonly status: RunStatus;
  readonly reason: string | null;
  readonly exitCode: number | null;
  /** The signal that ended the child (SIGTERM, SIGKILL), when it did not exit by itself. */
  readonly signal: string | null;
  readonly peakRssBytes: number | null;
  /** The grace-period (or hard-limit) SIGKILL had to end the run. */
  readonly forceKilled: boolean;
  /** Processes that outlived the run and were SIGKILLed after it (an ok run can have some). */
  readonly stragglersKilled: number;
  /** Why it failed: the failing source's error code and message, or the runner's start failure; null if nothing failed. */
  readonly failure: RunFailure | null;
}

export interface AlertSummary {
  /** Alerts written in the last 24 h, by level: per-run events (memory-warn, memory-emergency, timeout, attempts-exhausted) and trend events. */
  readonly last24h: Readonly<Record<AlertLevel, number>>;
  /**
   * "Open" means a trend condition that was raised and has not yet recovered: the newest row of its kind is a
   * warning or critical, not the info "recovered" row. Per-run alerts close when their run ends, so they are never open.
   */
  readonly open: { readonly warning: number; readonly critical: number };
  readonly openAlerts: readonly OpenAlert[];
  /** Outbox rows still to deliver, and those given up on (see `history alerts`). */
  readonly deliveries: DeliveryCounts;
}

export interface HistorySnapshot {
  readonly recentRuns: readonly RecentRun[];
  readonly alerts: AlertSummary;
  /** End of the newest ok run in the history, so it survives a supervisor restart. */
  readonly lastOkAtMs: number | null;
  /** The newest worklist status changes (rows hidden as CANCELED, or restored), newest first. */
  readonly worklistChanges: readonly WorklistChangeView[];
}

const RECENT_RUNS = 10;
/** Worklist changes on the status page: the newest few, read backwards along the primary key. */
export const RECENT_WORKLIST_CHANGES = 20;
const DAY_MS = 24 * 3_600_000;

/** The columns of a `runs` row the status page shows; the supervisor's own file is always at the current schema. */
type RecentRunRow = Pick<CurrentRunRow, 'id' | 'attempt' | 'started_at_ms' | 'ended_at_ms' | 'status' | 'reason' | 'exit_code' | 'signal' | 'peak_rss_bytes' | 'force_killed' | 'stragglers_killed' | 'error' | 'result_json'>;

// Six small queries (open alerts: one row per recovering kind; deliveries: the outbox's state index); the caller caches the result.
export async function readHistorySnapshot(db: Database, nowMs: number): Promise<HistorySnapshot> {
  const runs = await db.all<RecentRunRow>(
    `SELECT id, attempt, started_at_ms, ended_at_ms, status, reason, exit_code, signal, peak_rss_bytes, force_killed, stragglers_killed, error, result_json
       FROM runs ORDER BY started_at_ms DESC, id DESC LIMIT ?`,
    [RECENT_RUNS],
  );
  const counts = await db.all<{ level: AlertLevel; n: number }>('SELECT level, count(*) AS n FROM alerts WHERE at_ms >= ? GROUP BY level', [nowMs - DAY_MS]);
  const openAlerts = await readOpenAlerts(db);
  const deliveries = await deliveryCounts(db);
  // Walks the runs_status index from the newest ok run, so it costs one row however long the history is.
  const lastOk = await db.get<{ at: number | null }>(`SELECT ended_at_ms AS at FROM runs WHERE status = 'ok' ORDER BY started_at_ms DESC LIMIT 1`);
  const worklistChanges = await recentWorklistChanges(db, RECENT_WORKLIST_CHANGES);
  return {
    recentRuns: runs.map((row) => ({
      id: row.id, attempt: row.attempt, startedAtMs: row.started_at_ms,
      durationMs: row.ended_at_ms === null ? null : row.ended_at_ms - row.started_at_ms,
      status: row.status, reason: row.reason, exitCode: row.exit_code, signal: row.signal, peakRssBytes: row.peak_rss_bytes, forceKilled: row.force_killed === 1,
      stragglersKilled: row.stragglers_killed, failure: runFailureOfRow(row),
    })),
    alerts: {
      last24h: Object.fromEntries(ALERT_LEVELS.map((level) => [level, counts.find((c) => c.level === level)?.n ?? 0])) as Record<AlertLevel, number>,
      open: {
        warning: openAlerts.filter((a) => a.level === 'warning').length,
        critical: openAlerts.filter((a) => a.level === 'critical').length,
      },
      openAlerts,
      deliveries,
    },
    lastOkAtMs: lastOk?.at ?? null,
    worklistChanges,
  };
}
