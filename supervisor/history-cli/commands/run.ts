// `history run <id>`: everything about one run, its memory curve and how it ended.
import { AppError } from '../../../shared/errors/app-error.ts';
import { listAlerts } from '../../history/queries-alerts.ts';
import { getRun, runSamples, type RunRow } from '../../history/queries-runs.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatDuration, formatMb, mbOrNull } from '../format.ts';
import { describeEnding, parseResult, recordsSynced, runDurationMs } from '../run-summary.ts';
import { sparkline } from '../sparkline.ts';
import { resolveThresholds } from '../thresholds.ts';
import { bytesToMb } from '../../../shared/units.ts';
import { failureText, runFailureOfRow } from '../../history/run-failure.ts';
import { processes } from '../../run/run-messages.ts';
import { runWorklistCounts } from '../../history/queries-worklist.ts';
import { lifecycleText, runWorklistText } from '../worklist-summary.ts';

function runId(ctx: CommandContext): number {
  const raw = ctx.positionals[0];
  if (raw === undefined || !/^\d+$/.test(raw)) {
    throw new AppError('USAGE', raw === undefined ? '`run` needs a run id, e.g. `history run 42`' : `run id must be a whole number; got "${raw}"`);
  }
  return Number(raw);
}

function crossing(ctx: CommandContext, run: RunRow, atMs: number | null, lineMb: number): string {
  if (atMs === null) return `not crossed (${lineMb} MB)`;
  return `${ctx.time(atMs)} (+${formatDuration(atMs - run.started_at_ms)}), line ${lineMb} MB`;
}

/** A crossing of the emergency line that sustainMs tolerated says so: it was seen, and why it stopped nothing. */
function emergencyCrossing(ctx: CommandContext, run: RunRow, lineMb: number): string {
  const at = crossing(ctx, run, run.emergency_at_ms, lineMb);
  if (run.emergency_at_ms === null || run.reason === 'memory') return at;
  const tolerated = `tolerated (sustainMs ${run.sustain_ms ?? 0})`;
  return run.reason ? `${at}, ${tolerated}; the run was stopped for ${run.reason}` : `${at}, ${tolerated}, not stopped`;
}

function describeLimits(run: RunRow): string {
  if (run.emergency_mb === undefined || run.emergency_mb === null) return 'not recorded (a skipped tick, or a file from before schema 2)';
  const grace = formatDuration(run.grace_ms ?? null);
  const timeout = formatDuration(run.timeout_ms ?? null);
  return `warn ${run.warn_mb ?? '-'} MB, emergency ${run.emergency_mb} MB, hard ${run.hard_limit_mb ?? '-'} MB, grace ${grace}, timeout ${timeout}`;
}

export async function runCommand(ctx: CommandContext): Promise<number> {
  const id = runId(ctx);
  const run = await getRun(ctx.db, id);
  if (!run) throw new AppError('HISTORY_RUN_NOT_FOUND', `run ${id} is not in ${ctx.dbPath}`, { details: { id } });
  const { warnMb, emergencyMb } = await resolveThresholds(ctx.db, ctx.values, { run });
  const samples = await runSamples(ctx.db, id);
  // One run's alerts tell its story, so they read in order: oldest first.
  const alerts = (await listAlerts(ctx.db, { runId: id, limit: 100 })).reverse();
  const worklistChanges = await runWorklistCounts(ctx.db, id);
  const mbs = samples.map((s) => bytesToMb(s.rss_bytes));
  const memory = mbs.length
    ? { samples: mbs.length, minMb: Math.min(...mbs), avgMb: mbs.reduce((a, b) => a + b, 0) / mbs.length, maxMb: Math.max(...mbs) }
    : undefined;
  const ending = describeEnding(run);
  const failure = runFailureOfRow(run);
  if (ctx.json) {
    await writeJson(ctx.io.stdout, {
      run: { ...run, result_json: undefined, result: parseResult(run.result_json)?.raw ?? null },
      durationMs: runDurationMs(run), peakMb: mbOrNull(run.peak_rss_bytes), recordsSynced: recordsSynced(run), ending, failure,
      thresholds: { warnMb, emergencyMb }, memory: memory ?? null, worklistChanges,
      samples: samples.map((s) => ({ atMs: s.at_ms, mb: bytesToMb(s.rss_bytes), pids: s.pid_count })), alerts,
    });
    return 0;
  }
  const lines = [
    `run ${run.id}: ${run.status}${run.reason ? ` (${run.reason})` : ''}`,
    `  command       ${run.command}`,
    `  tick          ${ctx.time(run.tick_at_ms)}, attempt ${run.attempt}`,
    `  pid           ${run.pid ?? '-'}`,
    `  started       ${ctx.time(run.started_at_ms)}`,
    `  ended         ${ctx.time(run.ended_at_ms)} (duration ${formatDuration(runDurationMs(run))})`,
    `  exit          code ${run.exit_code ?? '-'}, signal ${run.signal ?? '-'}, force-killed ${run.force_killed ? 'yes' : 'no'}, stragglers killed ${run.stragglers_killed ?? 0}`,
    `  peak          ${formatMb(run.peak_rss_bytes)} MB over ${run.peak_pid_count === null ? '- processes' : processes(run.peak_pid_count)}, ${run.sample_count} sample${run.sample_count === 1 ? '' : 's'}`,
    `  limits        ${describeLimits(run)}`,
    `  warn line     ${crossing(ctx, run, run.warned_at_ms, warnMb)}`,
    `  emergency     ${emergencyCrossing(ctx, run, emergencyMb)}`,
    `  ended how     ${ending}`,
    `  error         ${failure ? failureText(failure) : '-'}`,
    `  records       ${recordsSynced(run) ?? '-'} synced (inserted + updated)`,
  ];
  for (const source of parseResult(run.result_json)?.sources ?? []) {
    lines.push(`    source ${String(source.name)}: ${String(source.status)}, ${String(source.inserted ?? 0)} inserted, ${String(source.updated ?? 0)} updated`);
    const lifecycle = lifecycleText(source.lifecycle);
    if (lifecycle !== undefined) lines.push(`      ${lifecycle}`);
  }
  lines.push(`  worklist      ${runWorklistText(run.id, worklistChanges)}`);
  lines.push(
    memory
      ? `memory  ${sparkline(mbs)}  min ${memory.minMb.toFixed(1)}  avg ${memory.avgMb.toFixed(1)}  max ${memory.maxMb.toFixed(1)} MB (${memory.samples} samples)`
      : `memory  no raw samples (pruned by retention.samplesDays, or none taken); peak from the run summary: ${formatMb(run.peak_rss_bytes)} MB`,
  );
  for (const alert of alerts) lines.push(`alert   ${ctx.time(alert.at_ms)} ${alert.level} ${alert.kind}: ${alert.message}`);
  await write(ctx.io.stdout, `${lines.join('\n')}\n`);
  return 0;
}
