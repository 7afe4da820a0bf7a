// The I/O side of the trend engine: reads each series' window from history.db, records alerts and snapshots, logs.
import type { Logger } from '../../shared/logger.ts';
import type { TrendConfig } from '../config/types.ts';
import { lastAlertLevel, readTrendSeries } from '../history/queries-trend.ts';
import type { MemorySource } from '../history/schema.ts';
import type { HistoryStore } from '../history/store.ts';
import { computeTrend, describeTrend, evaluateTrendAlerts, type TrendAlertEvent, type TrendAlertState, type TrendCondition, type TrendStats } from './stats.ts';

export interface TrendMonitorOptions {
  readonly store: HistoryStore;
  readonly logger: Logger;
  readonly trend: TrendConfig;
  /** The projection target for `hoursToEmergency` (memory.emergencyMb). */
  readonly emergencyMb: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The `alerts.kind` of a trend condition: `trend-growth`, `trend-absolute`, `supervisor-trend-growth`, … */
export function trendAlertKind(source: MemorySource, condition: TrendCondition): string {
  return `${source === 'supervisor' ? 'supervisor-' : ''}trend-${condition}`;
}

const LABELS: Record<MemorySource, string> = { runner: 'runner peak RSS', supervisor: 'supervisor RSS' };

interface SeriesState {
  alerts?: TrendAlertState;
  evaluations: number;
  latest?: TrendStats;
  /** Serialises evaluations of one series, so two quick calls can't both raise the same alert. */
  queue: Promise<void>;
}

// Evaluates both memory series after each run / self-sample; alert state is rebuilt from `alerts` after a restart.
export class TrendMonitor {
  private readonly series: Record<MemorySource, SeriesState> = {
    runner: { evaluations: 0, queue: Promise.resolve() },
    supervisor: { evaluations: 0, queue: Promise.resolve() },
  };
  private readonly now: () => number;

  constructor(private readonly options: TrendMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** After each finished runner run (any status except skipped). Rejects on a database error; the caller logs it. */
  onRunFinished(runId: number): Promise<void> {
    return this.enqueue('runner', runId);
  }

  /** After each supervisor self-sample (memory_history source='supervisor'). */
  onSelfSample(): Promise<void> {
    return this.enqueue('supervisor', null);
  }

  /** Latest stats per series, for /memory-status. */
  latest(): { runner?: TrendStats; supervisor?: TrendStats } {
    const out: { runner?: TrendStats; supervisor?: TrendStats } = {};
    if (this.series.runner.latest) out.runner = this.series.runner.latest;
    if (this.series.supervisor.latest) out.supervisor = this.series.supervisor.latest;
    return out;
  }

  private enqueue(source: MemorySource, runId: number | null): Promise<void> {
    const state = this.series[source];
    const next = state.queue.then(() => this.evaluate(source, runId));
    state.queue = next.catch(() => undefined);
    return next;
  }

  private async evaluate(source: MemorySource, runId: number | null): Promise<void> {
    const { store: { db }, trend } = this.options;
    const state = this.series[source];
    state.alerts ??= await this.restoreAlertState(source);
    const stats = computeTrend(await readTrendSeries(db, source, trend.window), { emergencyMb: this.options.emergencyMb });
    if (!stats) return;
    state.latest = stats;
    const { state: nextAlerts, events } = evaluateTrendAlerts(state.alerts, stats, { ...trend, label: LABELS[source] });
    for (const event of events) await this.record(source, event, runId);
    state.alerts = nextAlerts;
    state.evaluations += 1;
    if (state.evaluations % trend.logEveryRuns === 0) await this.snapshot(source, stats);
  }

  private async restoreAlertState(source: MemorySource): Promise<TrendAlertState> {
    const isOpen = (level: string | undefined): boolean => level === 'warning' || level === 'critical';
    return {
      growth: isOpen(await lastAlertLevel(this.options.store.db, trendAlertKind(source, 'growth'))),
      absolute: isOpen(await lastAlertLevel(this.options.store.db, trendAlertKind(source, 'absolute'))),
    };
  }

  private async record(source: MemorySource, event: TrendAlertEvent, runId: number | null): Promise<void> {
    await this.options.store.addAlert({ atMs: this.now(), level: event.level, kind: trendAlertKind(source, event.kind), message: event.message, value: event.value, runId });
    const log = event.level === 'critical' ? 'error' : event.level === 'warning' ? 'warn' : 'info';
    this.options.logger.log(log, `memory trend ${event.phase}: ${event.message}`, { source, kind: trendAlertKind(source, event.kind), runId });
  }

  // FR-6.5: one summary line per `logEveryRuns` evaluations, and the same figures kept in trend_snapshots.
  private async snapshot(source: MemorySource, stats: TrendStats): Promise<void> {
    await this.options.store.db.run(
      `INSERT INTO trend_snapshots (at_ms, source, points, current_mb, avg_mb, min_mb, max_mb, growth_mb_per_hour, hours_to_emergency)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.now(), source, stats.points, stats.currentMb, stats.avgMb, stats.minMb, stats.maxMb, stats.growthMbPerHour, stats.hoursToEmergency],
    );
    this.options.logger.info(`memory trend (${LABELS[source]}): ${describeTrend(stats)}`, { source });
  }
}
