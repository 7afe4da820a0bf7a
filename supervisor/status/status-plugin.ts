import type { Server } from 'node:http';
import type { SupervisorContext, SupervisorPlugin } from '../plugin.ts';
import { loadDashboard } from './dashboard-page.ts';
import { readHistorySnapshot } from '../history/snapshot.ts';
import { closeHttp, listenHttp } from './http-listen.ts';
import { createRequestHandler } from './request-handler.ts';
import { statusRoutes, type TrendSource } from './routes.ts';
import { readStatusToken } from './status-token.ts';
import { ttlCache } from './ttl-cache.ts';

export interface StatusPluginOptions {
  /** Where `status.tokenEnv` is looked up; the CLI passes its `env` (process.env plus .env). */
  readonly env: NodeJS.ProcessEnv;
  /** Latest trend statistics, e.g. `() => trendMonitor.latest()`; `trend` is null in /memory-status without it. */
  readonly trend?: TrendSource;
}

export interface StatusPlugin extends SupervisorPlugin {
  /** The bound address once started (port 0 in the config becomes the real port here); undefined when off. */
  address(): { host: string; port: number; url: string } | undefined;
}

/** How long the history part of /memory-status is reused: fifty clients polling each second cost one query round. */
const HISTORY_CACHE_MS = 1000;

// The optional status server: /memory-status, /metrics, /healthz, /live-points and the dashboard at /. Off unless status.port is set.
export function createStatusPlugin(options: StatusPluginOptions): StatusPlugin {
  let server: Server | undefined;
  let bound: { host: string; port: number; url: string } | undefined;
  const trend: TrendSource = () => {
    try {
      return options.trend?.();
    } catch {
      return undefined; // the trend engine's trouble must not take /memory-status down with it
    }
  };
  return {
    name: 'status',
    async start(context: SupervisorContext): Promise<void> {
      const { status } = context.config;
      if (status.port === undefined) return;
      const token = readStatusToken(status, options.env);
      const history = ttlCache(() => readHistorySnapshot(context.store.db, context.now()), HISTORY_CACHE_MS, () => performance.now());
      // prom-client costs ~13 MB of RSS; a supervisor with the server off never loads it.
      const { createStatusMetrics } = await import('./metrics.ts');
      const registry = createStatusMetrics({ live: context.live, history, trend, rssBytes: () => process.memoryUsage.rss() });
      const routes = statusRoutes({ context, page: await loadDashboard(), history, registry, trend });
      const handler = createRequestHandler({ routes, token, logger: context.logger });
      const listening = await listenHttp(handler, { port: status.port, host: status.host }, (error) =>
        context.logger.error(`status server error: ${error.message}`),
      );
      server = listening.server;
      const host = status.host.includes(':') ? `[${status.host}]` : status.host;
      bound = { host: status.host, port: listening.port, url: `http://${host}:${listening.port}` };
      context.logger.info(`status server listening on ${bound.url}${token ? ' (bearer token required)' : ''}`);
    },
    async stop(): Promise<void> {
      if (!server) return;
      const closing = server;
      server = undefined;
      bound = undefined;
      await closeHttp(closing);
    },
    address: () => bound,
  };
}
