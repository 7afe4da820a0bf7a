// `history runs`: a table of the newest runs.
import { RUN_STATUSES } from '../../vocabulary/words.ts';
import { countRuns, listRuns } from '../../history/queries-runs.ts';
import { choiceOption, positiveIntOption, sinceOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatDuration, formatMb, mbOrNull, formatTable, truncate } from '../format.ts';
import { recordsSynced, runDurationMs } from '../run-summary.ts';
import { failureBrief, runFailureOfRow, type RunFailure } from '../../history/run-failure.ts';
import type { RunRow } from '../../history/queries-runs.ts';

/** Widest reason cell: room for a code and the start of its message; `history run N` prints it whole. */
const REASON_WIDTH = 48;

/** The supervisor's reason for ending a run (memory, timeout, overlap), else why the run failed. */
function reasonCell(run: RunRow, failure: RunFailure | null): string {
  if (run.reason !== null) return truncate(run.reason, REASON_WIDTH);
  return failure ? failureBrief(failure, REASON_WIDTH) : '-';
}

/** The table's columns, in order; `history runs --help` names these same words. */
export const RUNS_COLUMNS = ['id', 'start', 'duration', 'status', 'reason', 'peak MB', 'records synced', 'exit'] as const;

/** How the runner's process ended: its exit code, else the signal that ended it, else `-` (still running, skipped). */
function exitCell(run: RunRow): string {
  if (run.exit_code !== null) return String(run.exit_code);
  return run.signal ?? '-';
}

export async function runsCommand(ctx: CommandContext): Promise<number> {
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  const status = choiceOption(ctx.values, 'status', RUN_STATUSES);
  const limit = positiveIntOption(ctx.values, 'limit', 50);
  const filter = { ...(sinceMs === undefined ? {} : { sinceMs }), ...(status === undefined ? {} : { status }) };
  const [runs, total] = await Promise.all([listRuns(ctx.db, { ...filter, limit }), countRuns(ctx.db, filter)]);
  if (ctx.json) {
    await writeJson(ctx.io.stdout, {
      total,
      runs: runs.map((r) => ({
        id: r.id, startedAtMs: r.started_at_ms, endedAtMs: r.ended_at_ms, durationMs: runDurationMs(r), status: r.status, reason: r.reason,
        peakMb: mbOrNull(r.peak_rss_bytes), recordsSynced: recordsSynced(r), exitCode: r.exit_code, signal: r.signal, failure: runFailureOfRow(r),
      })),
    });
    return 0;
  }
  if (runs.length === 0) {
    await write(ctx.io.stdout, `no runs${sinceMs === undefined && status === undefined ? ' recorded yet' : ' match'} in ${ctx.dbPath}\n`);
    return 0;
  }
  const rows = runs.map((r) => [
    String(r.id), ctx.time(r.started_at_ms), formatDuration(runDurationMs(r)), r.status, reasonCell(r, runFailureOfRow(r)), formatMb(r.peak_rss_bytes), String(recordsSynced(r) ?? '-'), exitCell(r),
  ]);
  await write(ctx.io.stdout, formatTable(RUNS_COLUMNS, rows, new Set([0, 2, 5, 6])));
  if (total > runs.length) await write(ctx.io.stdout, `showing the newest ${runs.length} of ${total}; use --limit N or --since to see others\n`);
  return 0;
}
