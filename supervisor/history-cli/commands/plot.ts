// `history plot`: RSS over time as a self-contained SVG or HTML file.
import { extname } from 'node:path';
import { AppError } from '../../../shared/errors/app-error.ts';
import { getRun, type RunRow } from '../../history/queries-runs.ts';
import { dataSpan } from '../../history/queries-plot.ts';
import { positiveIntOption, sinceOption, stringOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatDuration } from '../format.ts';
import { resolveOut, writeOutputFile } from '../output-file.ts';
import { readPlotSeries } from '../plot/data.ts';
import { renderPlotHtml } from '../plot/html.ts';
import { renderPlotSvg } from '../plot/svg.ts';
import { resolveThresholds } from '../thresholds.ts';

/** Enough columns for a 1000-px chart; more would only be drawn on top of each other. */
const BUCKETS = 1000;

async function window(ctx: CommandContext, runId: number | undefined): Promise<{ fromMs: number; toMs: number; title: string; run?: RunRow }> {
  if (runId !== undefined) {
    const run = await getRun(ctx.db, runId);
    if (!run) throw new AppError('HISTORY_RUN_NOT_FOUND', `run ${runId} is not in ${ctx.dbPath}`, { details: { id: runId } });
    const end = run.ended_at_ms ?? ctx.nowMs;
    const pad = Math.max(1000, (end - run.started_at_ms) * 0.05);
    return { fromMs: run.started_at_ms - pad, toMs: end + pad, title: `Run ${run.id} (${run.status}${run.reason ? `: ${run.reason}` : ''}), started ${ctx.time(run.started_at_ms)}`, run };
  }
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  // The axis fits the data inside the window ([--since or the beginning, now]), with a little margin either side:
  // 35 s of data in a 24-hour window fill the plot rather than one column of it. No data at all: the window itself.
  const windowFrom = sinceMs ?? EARLIEST_MS;
  const span = await dataSpan(ctx.db, windowFrom, ctx.nowMs);
  if (!span) {
    const fromMs = sinceMs ?? ctx.nowMs - 86_400_000;
    return { fromMs, toMs: ctx.nowMs, title: `Memory from ${ctx.time(fromMs)} to ${ctx.time(ctx.nowMs)} (no data)` };
  }
  const margin = Math.max(1000, (span.toMs - span.fromMs) * 0.02);
  const fromMs = Math.max(windowFrom, span.fromMs - margin);
  const toMs = Math.min(ctx.nowMs, span.toMs + margin);
  const asked = sinceMs === undefined ? '' : ` (the data within --since ${String(ctx.values.since)})`;
  return { fromMs, toMs, title: `Memory from ${ctx.time(fromMs)} to ${ctx.time(toMs)}${asked}` };
}

/** The earliest time a Date holds: "since the beginning" when no --since is given. */
const EARLIEST_MS = -8.64e15;

export async function plotCommand(ctx: CommandContext): Promise<number> {
  const out = stringOption(ctx.values, 'out');
  const format = out === undefined ? undefined : extname(out).toLowerCase();
  if (out === undefined || (format !== '.svg' && format !== '.html')) throw new AppError('USAGE', 'plot needs --out FILE.svg or --out FILE.html');
  const runId = positiveIntOption(ctx.values, 'run');
  if (runId !== undefined && ctx.values.since !== undefined) throw new AppError('USAGE', 'plot takes --run ID or --since AGE, not both');
  const { fromMs, toMs, title, run } = await window(ctx, runId);
  const thresholds = await resolveThresholds(ctx.db, ctx.values, run ? { run } : { untilMs: toMs });
  const series = await readPlotSeries(ctx.db, { fromMs, toMs, buckets: BUCKETS, ...(runId === undefined ? {} : { runId }) });
  const { svg, hover } = renderPlotSvg(series, { title, fromMs, toMs, ...thresholds, time: ctx.time });
  const footer = `sync-supervisor history plot of ${ctx.dbPath}; each point is the highest sample in its ${formatDuration((toMs - fromMs) / BUCKETS)} column; hover for values`;
  const path = resolveOut(ctx.io.cwd, out);
  await writeOutputFile(path, ctx.dbPath, format === '.svg' ? `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n` : renderPlotHtml(svg, hover, title, footer));
  const count = (kind: string): number => series.markers.filter((m) => m.kind === kind).length;
  const summary = {
    out: path, fromMs, toMs, ...thresholds, rowsRead: series.rowsRead,
    runnerPoints: series.runner.reduce((n, s) => n + s.length, 0), supervisorPoints: series.supervisor.reduce((n, s) => n + s.length, 0),
    runPeaks: series.runPeaks.length, kills: count('kill'), supervisorStarts: count('supervisor-start'), runnerRestarts: count('runner-restart'),
    restarts: count('supervisor-start') + count('runner-restart'),
  };
  if (ctx.json) await writeJson(ctx.io.stdout, summary);
  else await write(ctx.io.stdout, `wrote ${path}: ${summary.runnerPoints} runner points, ${summary.supervisorPoints} supervisor points, ${summary.runPeaks} run peaks, ${summary.kills} kills, ${summary.runnerRestarts} runner restarts, ${summary.supervisorStarts} supervisor starts\n`);
  return 0;
}
