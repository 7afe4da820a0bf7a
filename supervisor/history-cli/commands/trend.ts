// `history trend`: the trend engine's statistics, recomputed from the stored history.
import { lastTrendAlert, newestRunStatuses, readTrendSeries } from '../../history/queries-trend.ts';
import { DEFAULTS } from '../../config/defaults.ts';
import { KILL_STREAK_OPENS_AT, killStreak } from '../../trend/kill-streak.ts';
import type { AlertKind } from '../../vocabulary/alert-catalogue.ts';
import type { MemorySource } from '../../vocabulary/words.ts';
import { computeTrend, describeTrend } from '../../trend/stats.ts';
import type { RateDataNeed } from '../../trend/rate-data.ts';
import type { TrendStats } from '../../vocabulary/trend-stats.ts';
import { trendAlertKind } from '../../trend/monitor.ts';
import { choiceOption, positiveIntOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { resolveThresholds } from '../thresholds.ts';

interface SeriesReport {
  readonly source: MemorySource;
  readonly stats: TrendStats | null;
  /** The newest trend alert of each condition, so the operator sees whether one is open. */
  readonly lastAlerts: Array<{ kind: string; level: string; atMs: number; message: string }>;
  /** Runner only: how many of the newest runs in a row were killed. */
  readonly killStreak?: number;
}

async function report(ctx: CommandContext, source: MemorySource, window: number, emergencyMb: number): Promise<SeriesReport> {
  const stats = computeTrend(await readTrendSeries(ctx.db, source, window), { emergencyMb }) ?? null;
  const lastAlerts = [];
  const kinds: AlertKind[] = [trendAlertKind(source, 'growth'), trendAlertKind(source, 'absolute')];
  if (source === 'runner') kinds.push('runner-killed-repeatedly');
  for (const kind of kinds) {
    const row = await lastTrendAlert(ctx.db, kind);
    if (row) lastAlerts.push({ kind, level: row.level, atMs: row.at_ms, message: row.message });
  }
  return { source, stats, lastAlerts, ...(source === 'runner' ? { killStreak: killStreak(await newestRunStatuses(ctx.db, 50)) } : {}) };
}

/**
 * The data a rate needs (trend.minPoints, trend.minSpanMs): the `--config`'s, else the defaults. The same rule, by the
 * same function (trend/rate-data.ts), as the trend alerts, the log and /metrics' memory_growth_mb_per_hour.
 */
function rateNeeds(ctx: CommandContext): RateDataNeed {
  const trend = ctx.config?.trend ?? DEFAULTS.trend;
  return { minPoints: trend.minPoints, minSpanMs: trend.minSpanMs };
}

const TITLES: Record<MemorySource, string> = { runner: 'runner peak RSS per run', supervisor: "supervisor's own RSS" };

export async function trendCommand(ctx: CommandContext): Promise<number> {
  const only = choiceOption(ctx.values, 'source', ['runner', 'supervisor'] as const);
  const window = positiveIntOption(ctx.values, 'window', 100);
  const { emergencyMb } = await resolveThresholds(ctx.db, ctx.values, { untilMs: ctx.nowMs });
  const needs = rateNeeds(ctx);
  const reports: SeriesReport[] = [];
  for (const source of only ? [only] : (['runner', 'supervisor'] as const)) reports.push(await report(ctx, source, window, emergencyMb));
  if (ctx.json) {
    await writeJson(ctx.io.stdout, { window, emergencyMb, rateNeeds: needs, series: reports });
    return 0;
  }
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${TITLES[r.source]} (window ${window}):`);
    lines.push(r.stats ? `  ${describeTrend(r.stats, needs)}` : '  no measurements yet');
    if (r.killStreak) lines.push(`  kills: the last ${r.killStreak} run(s) in a row were killed${r.killStreak >= KILL_STREAK_OPENS_AT ? ' (runner keeps being killed)' : ''}`);
    if (r.stats) lines.push(`  from ${ctx.time(r.stats.firstAtMs)} to ${ctx.time(r.stats.lastAtMs)}`);
    for (const a of r.lastAlerts) {
      const open = a.level === 'warning' || a.level === 'critical';
      lines.push(`  ${a.kind}: ${open ? 'OPEN' : 'recovered'} since ${ctx.time(a.atMs)}: ${a.message}`);
    }
  }
  await write(ctx.io.stdout, `${lines.join('\n')}\n`);
  return 0;
}
