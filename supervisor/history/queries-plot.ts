// Read queries behind `history plot`: restart alerts, the supervisor's samples either side of a window, and the
// paged selects (see queries-paged.ts) of the runner, supervisor and run series.
import type { Database } from '../../shared/sqlite.ts';
import { statusInSql } from '../vocabulary/run-status.ts';
import type { PagedQuery } from './queries-paged.ts';

/** One memory sample as the plot reads it. */
export type PlotSampleRow = { id: number; at_ms: number; rss_bytes: number };
/** One run as the plot marks it. */
export type PlotRunRow = { id: number; attempt: number; started_at_ms: number; ended_at_ms: number | null; status: string; reason: string | null; peak_rss_bytes: number | null };

const SAMPLES = { columns: 'id, at_ms, rss_bytes', table: 'memory_history' } as const;

/** The `supervisor-start` alerts in the window (every supervisor start writes one), oldest first, at most 1000. */
export async function supervisorStartAlerts(db: Database, fromMs: number, toMs: number): Promise<Array<{ at_ms: number; message: string }>> {
  return db.all<{ at_ms: number; message: string }>(
    "SELECT at_ms, message FROM alerts WHERE kind = 'supervisor-start' AND at_ms BETWEEN ? AND ? ORDER BY at_ms LIMIT 1000", [fromMs, toMs]);
}

/** The supervisor's last self-sample before `atMs`. */
export async function supervisorSampleBefore(db: Database, atMs: number): Promise<{ at_ms: number; rss_bytes: number } | undefined> {
  return db.get<{ at_ms: number; rss_bytes: number }>(
    "SELECT at_ms, rss_bytes FROM memory_history WHERE source = 'supervisor' AND at_ms < ? ORDER BY at_ms DESC LIMIT 1", [atMs]);
}

/** The supervisor's first self-sample after `atMs`. */
export async function supervisorSampleAfter(db: Database, atMs: number): Promise<{ at_ms: number; rss_bytes: number } | undefined> {
  return db.get<{ at_ms: number; rss_bytes: number }>(
    "SELECT at_ms, rss_bytes FROM memory_history WHERE source = 'supervisor' AND at_ms > ? ORDER BY at_ms LIMIT 1", [atMs]);
}

/** The supervisor's self-samples in the window, by time. */
export function supervisorSamplesQuery(fromMs: number, toMs: number): PagedQuery {
  return { ...SAMPLES, where: ["source = 'supervisor'"], params: [], timeRange: { fromMs, toMs }, byTime: true };
}

/** The runner's samples in the window, or every sample of one run, by time. */
export function runnerSamplesQuery(fromMs: number, toMs: number, runId?: number): PagedQuery {
  const filter = runId === undefined ? { where: ["source = 'runner'"], params: [], timeRange: { fromMs, toMs } } : { where: ['run_id = ?'], params: [runId] };
  return { ...SAMPLES, ...filter, byTime: true };
}

/** The runs started in [fromMs, toMs] whose status feeds the trend, by id. */
export function trendRunsQuery(fromMs: number, toMs: number): PagedQuery {
  return {
    columns: 'id, attempt, started_at_ms, ended_at_ms, status, reason, peak_rss_bytes', table: 'runs',
    where: ['started_at_ms BETWEEN ? AND ?', statusInSql((s) => s.feedsTrend)], params: [fromMs, toMs],
  };
}

/**
 * The first and last moment the history holds a sample or a run within [fromMs, toMs], for a plot whose axis fits its
 * data. Each end is one index lookup ((source, at_ms) per source, runs_started), never a scan of the table.
 */
export async function dataSpan(db: Database, fromMs: number, toMs: number): Promise<{ fromMs: number; toMs: number } | undefined> {
  const ends: number[] = [];
  for (const source of ['runner', 'supervisor']) {
    for (const direction of ['ASC', 'DESC']) {
      const row = await db.get<{ at_ms: number }>(
        `SELECT at_ms FROM memory_history WHERE source = ? AND at_ms BETWEEN ? AND ? ORDER BY at_ms ${direction} LIMIT 1`, [source, fromMs, toMs]);
      if (row) ends.push(row.at_ms);
    }
  }
  const first = await db.get<{ at: number }>('SELECT started_at_ms AS at FROM runs WHERE started_at_ms BETWEEN ? AND ? ORDER BY started_at_ms LIMIT 1', [fromMs, toMs]);
  const last = await db.get<{ at: number }>(
    'SELECT min(coalesce(ended_at_ms, started_at_ms), ?) AS at FROM runs WHERE started_at_ms BETWEEN ? AND ? ORDER BY started_at_ms DESC LIMIT 1', [toMs, fromMs, toMs]);
  if (first) ends.push(first.at);
  if (last) ends.push(last.at);
  return ends.length === 0 ? undefined : { fromMs: Math.min(...ends), toMs: Math.max(...ends) };
}
