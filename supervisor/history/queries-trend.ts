// Read side of the trend engine: the rolling window of each series, and the last recorded alert of a kind.
import type { Database } from '../../shared/sqlite.ts';
import type { TrendPoint } from '../trend/stats.ts';
import type { MemorySource } from './schema.ts';

const BYTES_PER_MB = 1024 * 1024;

/**
 * The newest `window` measurements of a series, oldest first.
 * Runner: one point per finished run (its peak tree RSS at its end). Supervisor: its own RSS samples.
 */
export async function readTrendSeries(db: Database, source: MemorySource, window: number): Promise<TrendPoint[]> {
  const rows =
    source === 'runner'
      ? await db.all<{ at_ms: number; bytes: number }>(
          `SELECT ended_at_ms AS at_ms, peak_rss_bytes AS bytes FROM runs
           WHERE status NOT IN ('running', 'skipped') AND peak_rss_bytes IS NOT NULL AND ended_at_ms IS NOT NULL
           ORDER BY id DESC LIMIT ?`,
          [window],
        )
      : await db.all<{ at_ms: number; bytes: number }>(
          `SELECT at_ms, rss_bytes AS bytes FROM memory_history WHERE source = 'supervisor' ORDER BY at_ms DESC LIMIT ?`,
          [window],
        );
  return rows.reverse().map((row) => ({ atMs: row.at_ms, mb: row.bytes / BYTES_PER_MB }));
}

/** The level of the newest alert of `kind`, or undefined when none was ever written. */
export async function lastAlertLevel(db: Database, kind: string): Promise<string | undefined> {
  const row = await db.get<{ level: string }>('SELECT level FROM alerts WHERE kind = ? ORDER BY id DESC LIMIT 1', [kind]);
  return row?.level;
}
