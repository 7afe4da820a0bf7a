import type { SupervisorPlugin } from '../plugin.ts';
import { TrendMonitor } from './monitor.ts';
import type { TrendStats } from '../vocabulary/trend-stats.ts';

export interface TrendPlugin extends SupervisorPlugin {
  /** Latest statistics per series; empty until the first evaluation. */
  latest(): { runner?: TrendStats; supervisor?: TrendStats };
}

// Runs the trend engine after every finished run and every self-sample (seed FR-6).
export function createTrendPlugin(): TrendPlugin {
  let monitor: TrendMonitor | undefined;
  return {
    name: 'trend',
    async start(context) {
      monitor = new TrendMonitor({ store: context.store, logger: context.logger, trend: context.config.trend, emergencyMb: context.config.memory.emergencyMb, now: context.now, alerts: context.alerts });
    },
    async afterRun(runId) {
      await monitor?.onRunFinished(runId);
    },
    async afterSelfSample() {
      await monitor?.onSelfSample();
    },
    latest: () => monitor?.latest() ?? {},
  };
}
