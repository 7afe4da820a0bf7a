// Streams what `history plot` draws from history.db, in bounded memory: bucketed series, kills and restarts.
import type { Database } from '../../../shared/sqlite.ts';
import { pagedRows } from '../../history/queries-paged.ts';
import { MaxBuckets, type PlotPoint } from './buckets.ts';

type SampleRow = { id: number; at_ms: number; rss_bytes: number };
const SAMPLES = { columns: 'id, at_ms, rss_bytes', table: 'memory_history' } as const;

const MB = 1024 * 1024;
/** A pause this long between runner samples means another run (or a hole): the line is cut. */
const RUNNER_BREAK_MS = 5_000;
/** The supervisor samples itself every minute by default; a silence this long means it was down. */
const SUPERVISOR_RESTART_GAP_MS = 5 * 60_000;

export interface PlotMarker {
  readonly atMs: number;
  readonly kind: 'kill' | 'restart';
  readonly label: string;
}

export interface PlotSeries {
  readonly runner: PlotPoint[][];
  readonly supervisor: PlotPoint[][];
  /** Each run's peak, for stretches whose raw samples retention has pruned. */
  readonly runPeaks: PlotPoint[];
  readonly markers: PlotMarker[];
  /** Raw rows read, before bucketing. */
  readonly rowsRead: number;
}

export interface PlotQuery {
  readonly fromMs: number;
  readonly toMs: number;
  /** Only this run's runner samples. */
  readonly runId?: number;
  readonly buckets: number;
}

/** Exact restart times: every supervisor start writes a `supervisor-start` alert. */
async function startAlerts(db: Database, q: PlotQuery): Promise<PlotMarker[]> {
  const starts = await db.all<{ at_ms: number; message: string }>(
    "SELECT at_ms, message FROM alerts WHERE kind = 'supervisor-start' AND at_ms BETWEEN ? AND ? ORDER BY at_ms LIMIT 1000", [q.fromMs, q.toMs]);
  return starts.map((start) => ({ atMs: start.at_ms, kind: 'restart', label: start.message }));
}

// A gap in the self-samples is a restart too, unless a start alert already marks it (or the host was down).
async function supervisorSeries(db: Database, q: PlotQuery, markers: PlotMarker[]): Promise<{ segments: PlotPoint[][]; rows: number }> {
  const starts = markers.filter((m) => m.kind === 'restart').map((m) => m.atMs);
  const buckets = new MaxBuckets(q.fromMs, q.toMs, q.buckets, SUPERVISOR_RESTART_GAP_MS);
  // The last sample before the window too, so a short window (one run) still shows the supervisor's level.
  const before = await db.get<{ at_ms: number; rss_bytes: number }>(
    "SELECT at_ms, rss_bytes FROM memory_history WHERE source = 'supervisor' AND at_ms < ? ORDER BY at_ms DESC LIMIT 1", [q.fromMs]);
  if (before && q.fromMs - before.at_ms <= SUPERVISOR_RESTART_GAP_MS) buckets.add(q.fromMs, before.rss_bytes / MB);
  let previous = before?.at_ms;
  let rows = 0;
  const rowsInWindow = pagedRows<SampleRow>(db, { ...SAMPLES, where: ["source = 'supervisor'", 'at_ms BETWEEN ? AND ?'], params: [q.fromMs, q.toMs], byTime: true });
  for await (const row of rowsInWindow) {
    rows++;
    const gapFrom = previous;
    if (gapFrom !== undefined && row.at_ms - gapFrom > SUPERVISOR_RESTART_GAP_MS && !starts.some((at) => at > gapFrom && at <= row.at_ms)) {
      markers.push({ atMs: row.at_ms, kind: 'restart', label: `supervisor back after ${Math.round((row.at_ms - gapFrom) / 60_000)} min without self-samples (restart or host down)` });
    }
    previous = row.at_ms;
    buckets.add(row.at_ms, row.rss_bytes / MB);
  }
  // And the first sample after it, so the line reaches the right edge too.
  const after = await db.get<{ at_ms: number; rss_bytes: number }>(
    "SELECT at_ms, rss_bytes FROM memory_history WHERE source = 'supervisor' AND at_ms > ? ORDER BY at_ms LIMIT 1", [q.toMs]);
  if (after && previous !== undefined && after.at_ms - previous <= SUPERVISOR_RESTART_GAP_MS) buckets.add(q.toMs, after.rss_bytes / MB);
  return { segments: buckets.segments(), rows };
}

async function runnerSeries(db: Database, q: PlotQuery): Promise<{ segments: PlotPoint[][]; rows: number }> {
  const buckets = new MaxBuckets(q.fromMs, q.toMs, q.buckets, RUNNER_BREAK_MS);
  const filter = q.runId === undefined ? { where: ["source = 'runner'", 'at_ms BETWEEN ? AND ?'], params: [q.fromMs, q.toMs] } : { where: ['run_id = ?'], params: [q.runId] };
  let rows = 0;
  for await (const row of pagedRows<SampleRow>(db, { ...SAMPLES, ...filter, byTime: true })) {
    rows++;
    buckets.add(row.at_ms, row.rss_bytes / MB);
  }
  return { segments: buckets.segments(), rows };
}

async function runsInWindow(db: Database, q: PlotQuery, markers: PlotMarker[]): Promise<PlotPoint[]> {
  const peaks = new MaxBuckets(q.fromMs, q.toMs, q.buckets);
  type Row = { id: number; started_at_ms: number; ended_at_ms: number | null; status: string; reason: string | null; peak_rss_bytes: number | null };
  const runs = pagedRows<Row>(db, {
    columns: 'id, started_at_ms, ended_at_ms, status, reason, peak_rss_bytes', table: 'runs',
    where: ['started_at_ms BETWEEN ? AND ?', "status NOT IN ('skipped', 'running')"], params: [q.fromMs - 1, q.toMs],
  });
  for await (const run of runs) {
    if (q.runId !== undefined && run.id !== q.runId) continue;
    const at = run.ended_at_ms ?? run.started_at_ms;
    const peak = run.peak_rss_bytes === null ? '' : ` at ${(run.peak_rss_bytes / MB).toFixed(1)} MB`;
    if (run.status === 'killed' || run.status === 'timeout') markers.push({ atMs: at, kind: 'kill', label: `run ${run.id} ${run.status}${run.reason ? ` (${run.reason})` : ''}${peak}` });
    // Cut short by the supervisor's death: the restart itself is marked once, by its start alert or gap.
    if (run.status === 'orphaned' || run.status === 'interrupted') markers.push({ atMs: at, kind: 'kill', label: `run ${run.id} ${run.status}: the supervisor died during it` });
    if (run.peak_rss_bytes !== null) peaks.add(at, run.peak_rss_bytes / MB);
  }
  return peaks.segments().flat();
}

export async function readPlotSeries(db: Database, q: PlotQuery): Promise<PlotSeries> {
  const markers = await startAlerts(db, q);
  const runner = await runnerSeries(db, q);
  const supervisor = await supervisorSeries(db, q, markers);
  const runPeaks = await runsInWindow(db, q, markers);
  markers.sort((a, b) => a.atMs - b.atMs);
  return { runner: runner.segments, supervisor: supervisor.segments, runPeaks, markers, rowsRead: runner.rows + supervisor.rows };
}
