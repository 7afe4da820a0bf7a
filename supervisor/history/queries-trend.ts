// Read side of the trend engine: the rolling window of each series (open alerts: queries-open-alerts.ts).
import type { Database } from '../../shared/sqlite.ts';
import { bytesToMb } from '../../shared/units.ts';
import type { TrendPoint } from '../vocabulary/trend-stats.ts';
import { runStatusFacts, statusInSql } from '../vocabulary/run-status.ts';
import type { MemorySource } from '../vocabulary/words.ts';

/**
 * The newest `window` measurements of a series, oldest first.
 * Runner: one point per finished run (its peak tree RSS at its end), a killed run's marked `cut`. Supervisor: its own RSS
 * samples of ONE process, the newest (since its `supervisor-start` alert): the growth of a process is a fact of that
 * process, and a slope across restarts or across separate `run-once` processes measures their start-up sizes, not a leak.
 */
export async function readTrendSeries(db: Database, source: MemorySource, window: number): Promise<TrendPoint[]> {
  const rows =
    source === 'runner'
      ? await db.all<{ at_ms: number; bytes: number; status?: string }>(
          `SELECT ended_at_ms AS at_ms, peak_rss_bytes AS bytes, status FROM runs
           WHERE ${statusInSql((s) => s.feedsTrend)} AND peak_rss_bytes IS NOT NULL AND ended_at_ms IS NOT NULL
           ORDER BY id DESC LIMIT ?`,
          [window],
        )
      : await db.all<{ at_ms: number; bytes: number; status?: string }>(
          `SELECT at_ms, rss_bytes AS bytes FROM memory_history
           WHERE source = 'supervisor' AND at_ms >= coalesce((SELECT max(at_ms) FROM alerts WHERE kind = 'supervisor-start'), 0)
           ORDER BY at_ms DESC LIMIT ?`,
          [window],
        );
  return rows.reverse().map((row) => ({ atMs: row.at_ms, mb: bytesToMb(row.bytes), ...(row.status !== undefined && runStatusFacts(row.status)?.countsAsKill ? { cut: true } : {}) }));
}

/** The newest alert of one trend kind (`trend-growth`, `supervisor-trend-absolute`…), for `history trend`. */
export async function lastTrendAlert(db: Database, kind: string): Promise<{ level: string; at_ms: number; message: string } | undefined> {
  return db.get<{ level: string; at_ms: number; message: string }>('SELECT level, at_ms, message FROM alerts WHERE kind = ? ORDER BY id DESC LIMIT 1', [kind]);
}

/** The statuses of the newest `limit` runs, newest first, for the kill streak. */
export async function newestRunStatuses(db: Database, limit: number): Promise<string[]> {
  return (await db.all<{ status: string }>('SELECT status FROM runs ORDER BY id DESC LIMIT ?', [limit])).map((row) => row.status);
}
