// The I/O side of the trend engine: reads each series' window from history.db, records alerts and snapshots, logs.
import type { Logger } from '../../shared/logger.ts';
import type { TrendConfig } from '../config/types.ts';
import { Alerts } from '../alerts/raise.ts';
import { trendAlertKind as catalogueTrendKind, type AlertKind } from '../vocabulary/alert-catalogue.ts';
import { readOpenAlerts } from '../history/queries-open-alerts.ts';
import { newestRunStatuses, readTrendSeries } from '../history/queries-trend.ts';
import { evaluateKillStreak, killStreak } from './kill-streak.ts';
import type { MemorySource } from '../vocabulary/words.ts';
import type { HistoryStore } from '../history/store.ts';
import { evaluateTrendAlerts, type TrendAlertEvent, type TrendAlertState, type TrendCondition } from './alerts.ts';
import { computeTrend, describeTrend } from './stats.ts';
import type { TrendStats } from '../vocabulary/trend-stats.ts';

export interface TrendMonitorOptions {
  readonly store: HistoryStore;
  readonly logger: Logger;
  readonly trend: TrendConfig;
  /** The projection target for `hoursToEmergency` (memory.emergencyMb). */
  readonly emergencyMb: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Where trend alerts are raised (and delivered from); one over the same store with no sinks when absent. */
  readonly alerts?: Alerts;
}

/** The `alerts.kind` of a trend condition: `trend-growth`, `trend-absolute`, `supervisor-trend-growth`, … */
export function trendAlertKind(source: MemorySource, condition: TrendCondition): AlertKind {
  return catalogueTrendKind(source, condition);
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
  private readonly alerts: Alerts;
  /** Whether `runner-killed-repeatedly` is open; read back from `alerts` at the first run after a restart. */
  private killStreakOpen: boolean | undefined;

  constructor(private readonly options: TrendMonitorOptions) {
    this.now = options.now ?? Date.now;
    this.alerts = options.alerts ?? new Alerts({ store: options.store, logger: options.logger, now: this.now });
  }

  /** After each finished runner run (any status except skipped). Rejects on a database error; the caller logs it. */
  onRunFinished(runId: number): Promise<void> {
    // The run's closing row is queued: read it once written, unless history.db is failing (then with what is there).
    const landed = this.options.store.writesLandedSoon();
    const next = this.series.runner.queue.then(() => landed).then(() => this.evaluateKillStreak(runId));
    this.series.runner.queue = next.catch(() => undefined);
    return Promise.all([next, landed.then(() => this.enqueue('runner', runId))]).then(() => undefined);
  }

  // Not a statistic of peaks: consecutive kills are counted from the newest runs' statuses (see kill-streak.ts).
  private async evaluateKillStreak(runId: number): Promise<void> {
    const { db } = this.options.store;
    this.killStreakOpen ??= (await readOpenAlerts(db)).some((alert) => alert.kind === 'runner-killed-repeatedly');
    const event = evaluateKillStreak(this.killStreakOpen, killStreak(await newestRunStatuses(db, 50)));
    if (!event) return;
    void this.alerts.raise('runner-killed-repeatedly', { message: event.message, value: event.value, runId, recovered: event.phase === 'recovered' });
    this.killStreakOpen = event.phase === 'raised';
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
    const open = new Set((await readOpenAlerts(this.options.store.db)).map((alert) => alert.kind));
    return { growth: open.has(trendAlertKind(source, 'growth')), absolute: open.has(trendAlertKind(source, 'absolute')) };
  }

  private async record(source: MemorySource, event: TrendAlertEvent, runId: number | null): Promise<void> {
    void this.alerts.raise(trendAlertKind(source, event.kind), {
      message: event.message, value: event.value, runId, recovered: event.phase === 'recovered', logText: `memory trend ${event.phase}: ${event.message}`,
    });
  }

  // FR-6.5: one summary line per `logEveryRuns` evaluations, and the same figures kept in trend_snapshots.
  private async snapshot(source: MemorySource, stats: TrendStats): Promise<void> {
    await this.options.store.addTrendSnapshot(this.now(), source, stats);
    this.options.logger.info(`memory trend (${LABELS[source]}): ${describeTrend(stats, this.options.trend)}`, { source });
  }
}
