// Streams what `history plot` draws from history.db, in bounded memory: bucketed series, kills and restarts.
import type { Database } from '../../../shared/sqlite.ts';
import { bytesToMb } from '../../../shared/units.ts';
import { pagedRows } from '../../history/queries-paged.ts';
import {
  runnerSamplesQuery, supervisorSampleAfter, supervisorSampleBefore, supervisorSamplesQuery, supervisorStartAlerts, trendRunsQuery,
  type PlotRunRow, type PlotSampleRow,
} from '../../history/queries-plot.ts';
import { runStatusFacts } from '../../vocabulary/run-status.ts';
import { MaxBuckets, type PlotPoint } from './buckets.ts';

/** A pause this long between runner samples means another run (or a hole): the line is cut. */
const RUNNER_BREAK_MS = 5_000;
/** The supervisor samples itself every minute by default; a silence this long means it was down. */
const SUPERVISOR_RESTART_GAP_MS = 5 * 60_000;

/** A run the supervisor killed; the supervisor's own (re)start; a runner restarted within its tick (attempt > 1). */
export type PlotMarkerKind = 'kill' | 'supervisor-start' | 'runner-restart';

export interface PlotMarker {
  readonly atMs: number;
  readonly kind: PlotMarkerKind;
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
  const starts = await supervisorStartAlerts(db, q.fromMs, q.toMs);
  return starts.map((start) => ({ atMs: start.at_ms, kind: 'supervisor-start', label: start.message }));
}

// A gap in the self-samples is a restart too, unless a start alert already marks it (or the host was down).
async function supervisorSeries(db: Database, q: PlotQuery, markers: PlotMarker[]): Promise<{ segments: PlotPoint[][]; rows: number }> {
  const starts = markers.filter((m) => m.kind === 'supervisor-start').map((m) => m.atMs);
  const buckets = new MaxBuckets(q.fromMs, q.toMs, q.buckets, SUPERVISOR_RESTART_GAP_MS);
  // The last sample before the window too, so a short window (one run) still shows the supervisor's level.
  const before = await supervisorSampleBefore(db, q.fromMs);
  if (before && q.fromMs - before.at_ms <= SUPERVISOR_RESTART_GAP_MS) buckets.add(q.fromMs, bytesToMb(before.rss_bytes));
  let previous = before?.at_ms;
  let rows = 0;
  const rowsInWindow = pagedRows<PlotSampleRow>(db, supervisorSamplesQuery(q.fromMs, q.toMs));
  for await (const row of rowsInWindow) {
    rows++;
    const gapFrom = previous;
    if (gapFrom !== undefined && row.at_ms - gapFrom > SUPERVISOR_RESTART_GAP_MS && !starts.some((at) => at > gapFrom && at <= row.at_ms)) {
      markers.push({ atMs: row.at_ms, kind: 'supervisor-start', label: `supervisor back after ${Math.round((row.at_ms - gapFrom) / 60_000)} min without self-samples (restart or host down)` });
    }
    previous = row.at_ms;
    buckets.add(row.at_ms, bytesToMb(row.rss_bytes));
  }
  // And the first sample after it, so the line reaches the right edge too.
  const after = await supervisorSampleAfter(db, q.toMs);
  if (after && previous !== undefined && after.at_ms - previous <= SUPERVISOR_RESTART_GAP_MS) buckets.add(q.toMs, bytesToMb(after.rss_bytes));
  return { segments: buckets.segments(), rows };
}

async function runnerSeries(db: Database, q: PlotQuery): Promise<{ segments: PlotPoint[][]; rows: number }> {
  const buckets = new MaxBuckets(q.fromMs, q.toMs, q.buckets, RUNNER_BREAK_MS);
  let rows = 0;
  for await (const row of pagedRows<PlotSampleRow>(db, runnerSamplesQuery(q.fromMs, q.toMs, q.runId))) {
    rows++;
    buckets.add(row.at_ms, bytesToMb(row.rss_bytes));
  }
  return { segments: buckets.segments(), rows };
}

async function runsInWindow(db: Database, q: PlotQuery, markers: PlotMarker[]): Promise<PlotPoint[]> {
  const peaks = new MaxBuckets(q.fromMs, q.toMs, q.buckets);
  const runs = pagedRows<PlotRunRow>(db, trendRunsQuery(q.fromMs - 1, q.toMs));
  for await (const run of runs) {
    if (q.runId !== undefined && run.id !== q.runId) continue;
    const at = run.ended_at_ms ?? run.started_at_ms;
    const peak = run.peak_rss_bytes === null ? '' : ` at ${bytesToMb(run.peak_rss_bytes).toFixed(1)} MB`;
    const facts = runStatusFacts(run.status);
    // Only a kill for cause (the run-status table's countsAsKill): a run cut short by a shutdown or the supervisor's
    // death is not one, and the restart that follows is marked once, by its start alert or self-sample gap.
    if (facts?.countsAsKill) markers.push({ atMs: at, kind: 'kill', label: `run ${run.id} ${run.status}${run.reason ? ` (${run.reason})` : ''}${peak}` });
    if (run.attempt > 1) markers.push({ atMs: run.started_at_ms, kind: 'runner-restart', label: `run ${run.id}: runner restarted, attempt ${run.attempt} of its tick` });
    if (run.peak_rss_bytes !== null) peaks.add(at, bytesToMb(run.peak_rss_bytes));
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
