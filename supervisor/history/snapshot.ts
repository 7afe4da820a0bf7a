// The part of /memory-status (and /metrics) that comes from history.db: recent runs, alert counts, the last good sync.
import type { Database } from '../../shared/sqlite.ts';
import { ALERT_LEVELS, type AlertLevel, type RunStatus } from './schema.ts';
import { trendAlertKind } from '../trend/monitor.ts';

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
  readonly forceKilled: boolean;
}

export interface OpenAlert {
  readonly kind: string;
  readonly level: AlertLevel;
  readonly atMs: number;
  readonly message: string;
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
}

export interface HistorySnapshot {
  readonly recentRuns: readonly RecentRun[];
  readonly alerts: AlertSummary;
  /** End of the newest ok run in the history, so it survives a supervisor restart. */
  readonly lastOkAtMs: number | null;
}

const RECENT_RUNS = 10;
const DAY_MS = 24 * 3_600_000;
const TREND_KINDS = (['runner', 'supervisor'] as const).flatMap((source) => (['growth', 'absolute'] as const).map((c) => trendAlertKind(source, c)));

interface RunRow {
  id: number; attempt: number; started_at_ms: number; ended_at_ms: number | null; status: RunStatus;
  reason: string | null; exit_code: number | null; signal: string | null; peak_rss_bytes: number | null; force_killed: number;
}

// Four small queries (the trend-kind one scans `alerts`, which retention keeps small); the caller caches the result.
export async function readHistorySnapshot(db: Database, nowMs: number): Promise<HistorySnapshot> {
  const runs = await db.all<RunRow>(
    `SELECT id, attempt, started_at_ms, ended_at_ms, status, reason, exit_code, signal, peak_rss_bytes, force_killed
       FROM runs ORDER BY started_at_ms DESC, id DESC LIMIT ?`,
    [RECENT_RUNS],
  );
  const counts = await db.all<{ level: AlertLevel; n: number }>('SELECT level, count(*) AS n FROM alerts WHERE at_ms >= ? GROUP BY level', [nowMs - DAY_MS]);
  const newestPerKind = await db.all<{ kind: string; level: AlertLevel; at_ms: number; message: string }>(
    `SELECT kind, level, at_ms, message FROM alerts
      WHERE id IN (SELECT max(id) FROM alerts WHERE kind IN (${TREND_KINDS.map(() => '?').join(', ')}) GROUP BY kind)`,
    TREND_KINDS,
  );
  // Walks the runs_status index from the newest ok run, so it costs one row however long the history is.
  const lastOk = await db.get<{ at: number | null }>(`SELECT ended_at_ms AS at FROM runs WHERE status = 'ok' ORDER BY started_at_ms DESC LIMIT 1`);
  const openAlerts = newestPerKind
    .filter((row) => row.level !== 'info')
    .map((row) => ({ kind: row.kind, level: row.level, atMs: row.at_ms, message: row.message }));
  return {
    recentRuns: runs.map((row) => ({
      id: row.id, attempt: row.attempt, startedAtMs: row.started_at_ms,
      durationMs: row.ended_at_ms === null ? null : row.ended_at_ms - row.started_at_ms,
      status: row.status, reason: row.reason, exitCode: row.exit_code, signal: row.signal, peakRssBytes: row.peak_rss_bytes, forceKilled: row.force_killed === 1,
    })),
    alerts: {
      last24h: Object.fromEntries(ALERT_LEVELS.map((level) => [level, counts.find((c) => c.level === level)?.n ?? 0])) as Record<AlertLevel, number>,
      open: {
        warning: openAlerts.filter((a) => a.level === 'warning').length,
        critical: openAlerts.filter((a) => a.level === 'critical').length,
      },
      openAlerts,
    },
    lastOkAtMs: lastOk?.at ?? null,
  };
}
