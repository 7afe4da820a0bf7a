// The status server's endpoints: each turns the supervisor's state into one reply.
import type { Registry } from 'prom-client';
import type { SupervisorContext } from '../plugin.ts';
import type { DashboardPage } from './dashboard-page.ts';
import { judgeHealth } from './health.ts';
import type { HistorySnapshot } from '../history/snapshot.ts';
import { livePoints } from './live-points.ts';
import { buildMemoryStatus } from './memory-status.ts';
import type { Route } from './request-handler.ts';
import { jsonReply, type Reply } from './respond.ts';
import type { LatestTrends } from '../vocabulary/trend-stats.ts';

/** The trend monitor's newest statistics, e.g. `() => trendMonitor.latest()`; undefined when not wired. */
export type TrendSource = () => LatestTrends | undefined;

export interface RouteDeps {
  readonly context: SupervisorContext;
  readonly page: DashboardPage;
  /** Cached: shared by every client and by /metrics. */
  readonly history: () => Promise<HistorySnapshot>;
  readonly registry: Registry;
  readonly trend: TrendSource;
}

/** The scheduler is the one source of the next slot; before it exists there is none. */
function nextTickAt(context: SupervisorContext): number | undefined {
  return context.scheduler()?.nextTickAtMs();
}

export function statusRoutes(deps: RouteDeps): Route[] {
  const { context } = deps;
  const { config, live } = context;
  return [
    {
      path: '/',
      queryToken: true,
      handle: (): Reply => ({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: deps.page.html,
        headers: { 'content-security-policy': deps.page.contentSecurityPolicy, 'x-frame-options': 'DENY' },
      }),
    },
    {
      path: '/memory-status',
      handle: async (): Promise<Reply> => {
        const history = await deps.history();
        const { rss, heapUsed, heapTotal } = process.memoryUsage();
        return jsonReply(200, buildMemoryStatus({
          nowMs: context.now(), pid: process.pid, memoryUsage: { rss, heapUsed, heapTotal }, live, memory: config.memory,
          history, trend: deps.trend(), nextTickAtMs: nextTickAt(context),
        }));
      },
    },
    {
      path: '/live-points',
      handle: (): Reply => jsonReply(200, livePoints(live, config.memory.sampleIntervalMs)),
    },
    {
      path: '/metrics',
      handle: async (): Promise<Reply> => ({ status: 200, contentType: deps.registry.contentType, body: await deps.registry.metrics() }),
    },
    {
      path: '/healthz',
      handle: (): Reply => {
        const health = judgeHealth({
          nowMs: context.now(), stopping: context.signal.aborted, scheduleStarted: context.scheduler() !== undefined,
          schedulerRunning: live.schedulerRunning, nextTickAtMs: nextTickAt(context), sampleIntervalMs: config.memory.sampleIntervalMs,
          currentRun: live.current, runTimeoutMs: config.run.timeoutMs, graceMs: config.memory.graceMs,
        });
        return jsonReply(health.ok ? 200 : 503, health);
      },
    },
  ];
}
