// /metrics: a private prom-client Registry whose values are read from LiveState and the cached history at scrape time.
import { Counter, Gauge, Registry } from 'prom-client';
import { ALERT_LEVELS, RUN_STATUSES } from '../vocabulary/words.ts';
import { RUN_STATUS_FACTS } from '../vocabulary/run-status.ts';
import { TERMINATION_REASONS, TERMINATION_STATUS } from '../vocabulary/termination.ts';
import { WORKLIST_CHANGE_REASONS } from '../../shared/protocol.ts';
import type { LiveState } from '../live-state.ts';
import type { HistorySnapshot } from '../history/snapshot.ts';
import { lastOkAt } from './memory-status.ts';
import { notEnoughData, type RateDataNeed } from '../trend/rate-data.ts';
import type { TrendStats } from '../vocabulary/trend-stats.ts';
import type { TrendSource } from './routes.ts';

const METRIC_PREFIX = 'sync_supervisor_';

/**
 * The reasons counted in kills_total: those whose stop leaves the run stoppedBySupervisor, as LiveState counts them
 * (a protocol stop is recorded `failed`). Pre-declared so each series exists from the start.
 */
const KILL_REASONS = TERMINATION_REASONS.filter((reason) => RUN_STATUS_FACTS[TERMINATION_STATUS[reason]].stoppedBySupervisor);

export interface MetricSources {
  readonly live: LiveState;
  /** The cached history part shared with /memory-status. */
  readonly history: () => Promise<HistorySnapshot>;
  readonly trend: TrendSource;
  readonly rssBytes: () => number;
  /** The config's trend.minPoints / trend.minSpanMs: below them a rate is noise, as the alerts and `history trend` say. */
  readonly rateNeeds: RateDataNeed;
}

/**
 * A series' growth rate, only when it stands on enough data by the one rule (rate-data.ts) the trend alerts, the log
 * and `history trend` apply. Otherwise the series is absent, which is how Prometheus says "no value" (`absent()`
 * alerts on it); a NaN would be a value that graphs as a gap and compares false.
 */
function growthOf(stats: TrendStats | undefined, need: RateDataNeed): number | undefined {
  if (stats === undefined) return undefined;
  return notEnoughData(stats, need) === null ? stats.growthMbPerHour : undefined;
}

// Counters mirror LiveState's maps (counts since this process started), as Prometheus expects of a counter.
function setCounts(counter: Counter<string>, label: string, counts: ReadonlyMap<string, number>, known: readonly string[]): void {
  counter.reset();
  for (const key of new Set([...known, ...counts.keys()])) counter.inc({ [label]: key }, counts.get(key) ?? 0);
}

export function createStatusMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  const { live } = sources;
  const name = (suffix: string): string => `${METRIC_PREFIX}${suffix}`;
  new Gauge({
    name: name('runner_tree_rss_bytes'), help: 'RSS of the current runner and all its descendants; 0 between runs.', registers: [registry],
    collect() { this.set(live.current?.rssBytes ?? 0); },
  });
  new Gauge({
    name: name('runner_process_count'), help: 'Processes in the current runner tree; 0 between runs.', registers: [registry],
    collect() { this.set(live.current?.pidCount ?? 0); },
  });
  new Gauge({
    name: name('supervisor_rss_bytes'), help: 'RSS of the supervisor process itself.', registers: [registry],
    collect() { this.set(sources.rssBytes()); },
  });
  new Gauge({
    name: name('last_successful_sync_timestamp_seconds'), help: 'Unix time the newest ok run ended; 0 when there was none.', registers: [registry],
    async collect() { this.set((lastOkAt(live, await sources.history()) ?? 0) / 1000); },
  });
  new Gauge({
    name: name('memory_growth_mb_per_hour'),
    help: 'Least-squares memory growth over the trend window (runner peak RSS per run, supervisor RSS of this process); absent until trend.minPoints over trend.minSpanMs.',
    labelNames: ['source'], registers: [registry],
    collect() {
      this.reset();
      const trend = sources.trend();
      for (const source of ['runner', 'supervisor'] as const) {
        const growth = growthOf(trend?.[source], sources.rateNeeds);
        if (growth !== undefined) this.set({ source }, growth);
      }
    },
  });
  new Gauge({
    name: name('alerts_open'), help: 'Conditions raised and not yet recovered (trend alerts, repeated kills), by level.', labelNames: ['level'], registers: [registry],
    async collect() {
      const open = (await sources.history()).alerts.open;
      for (const level of ALERT_LEVELS) if (level !== 'info') this.set({ level }, open[level]);
    },
  });
  new Gauge({
    name: name('alert_deliveries'), help: 'Alert deliveries still pending (retried with backoff) and given up (failed), over every sink.',
    labelNames: ['state'], registers: [registry],
    async collect() {
      const { pending, failed } = (await sources.history()).alerts.deliveries;
      this.set({ state: 'pending' }, pending);
      this.set({ state: 'failed' }, failed);
    },
  });
  new Counter({
    name: name('runs_total'), help: 'Finished runs by status since the supervisor started.', labelNames: ['status'], registers: [registry],
    collect() { setCounts(this, 'status', live.runsByStatus, RUN_STATUSES.filter((s) => s !== 'running')); },
  });
  new Counter({
    name: name('kills_total'), help: 'Runs the supervisor stopped itself, by reason, since it started.', labelNames: ['reason'], registers: [registry],
    collect() { setCounts(this, 'reason', live.killsByReason, KILL_REASONS); },
  });
  new Counter({
    name: name('worklist_status_changes_total'),
    help: 'Worklist rows the sync hid as CANCELED (record-deleted, instance-deleted, date-cleared, expired) or restored, by reason: every change history.db holds.',
    labelNames: ['reason'], registers: [registry],
    collect() { setCounts(this, 'reason', live.worklistChangesByReason, WORKLIST_CHANGE_REASONS); },
  });
  return registry;
}
