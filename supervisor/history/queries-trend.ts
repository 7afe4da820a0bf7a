// Read side of the trend engine: the rolling window of each series (open alerts: queries-open-alerts.ts).
import type { Database } from '../../shared/sqlite.ts';
import { bytesToMb } from '../../shared/units.ts';
import type { TrendPoint } from '../trend/stats.ts';
import { statusInSql } from '../run/run-status.ts';
import type { MemorySource } from './schema.ts';

/**
 * The newest `window` measurements of a series, oldest first.
 * Runner: one point per finished run (its peak tree RSS at its end). Supervisor: its own RSS samples.
 */
export async function readTrendSeries(db: Database, source: MemorySource, window: number): Promise<TrendPoint[]> {
  const rows =
    source === 'runner'
      ? await db.all<{ at_ms: number; bytes: number }>(
          `SELECT ended_at_ms AS at_ms, peak_rss_bytes AS bytes FROM runs
           WHERE ${statusInSql((s) => s.feedsTrend)} AND peak_rss_bytes IS NOT NULL AND ended_at_ms IS NOT NULL
           ORDER BY id DESC LIMIT ?`,
          [window],
        )
      : await db.all<{ at_ms: number; bytes: number }>(
          `SELECT at_ms, rss_bytes AS bytes FROM memory_history WHERE source = 'supervisor' ORDER BY at_ms DESC LIMIT ?`,
          [window],
        );
  return rows.reverse().map((row) => ({ atMs: row.at_ms, mb: bytesToMb(row.bytes) }));
}

/** The newest alert of one trend kind (`trend-growth`, `supervisor-trend-absolute`…), for `history trend`. */
export async function lastTrendAlert(db: Database, kind: string): Promise<{ level: string; at_ms: number; message: string } | undefined> {
  return db.get<{ level: string; at_ms: number; message: string }>('SELECT level, at_ms, message FROM alerts WHERE kind = ? ORDER BY id DESC LIMIT 1', [kind]);
}
