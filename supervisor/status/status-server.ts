import type { Server } from 'node:http';
import type { SupervisorContext } from '../plugin.ts';
import { readHistorySnapshot } from '../history/snapshot.ts';
import { countWorklistChangesByReason } from '../history/worklist-changes.ts';
import { loadDashboard } from './dashboard-page.ts';
import { closeHttp, listenHttp } from './http-listen.ts';
import { createRequestHandler } from './request-handler.ts';
import { statusRoutes, type TrendSource } from './routes.ts';
import { readStatusToken } from './status-token.ts';
import { ttlCache } from './ttl-cache.ts';

/** How long the history part of /memory-status is reused: fifty clients polling each second cost one query round. */
const HISTORY_CACHE_MS = 1000;

export interface RunningStatusServer {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

// Everything the status server needs, in one module the plugin imports only when status.port is set: node:http,
// prom-client (~13 MB of RSS), the routes and the dashboard stay out of a supervisor that runs without it.
export async function startStatusServer(context: SupervisorContext, env: NodeJS.ProcessEnv, trend: TrendSource, port: number): Promise<RunningStatusServer> {
  const { status } = context.config;
  const token = readStatusToken(status, env);
  // Counted once here (before any tick), then as each change is written: a scrape reads no table, and a supervisor
  // without the status server (run-once under cron) never pays for the count.
  await countWorklistChangesByReason(context.store.db).then(
    (counts) => context.live.worklistChangesSeeded(counts),
    (error: unknown) => context.logger.warn(`cannot count the worklist changes in history.db: ${(error as Error).message}; /metrics counts only those written from now on`),
  );
  const history = ttlCache(() => readHistorySnapshot(context.store.db, context.now()), HISTORY_CACHE_MS, () => performance.now());
  const { createStatusMetrics } = await import('./metrics.ts');
  const registry = createStatusMetrics({ live: context.live, history, trend, rssBytes: () => process.memoryUsage.rss(), rateNeeds: context.config.trend });
  const routes = statusRoutes({ context, page: await loadDashboard(), history, registry, trend });
  const handler = createRequestHandler({ routes, token, logger: context.logger });
  const listening = await listenHttp(handler, { port, host: status.host }, (error) => context.logger.error(`status server error: ${error.message}`));
  const server: Server = listening.server;
  const host = status.host.includes(':') ? `[${status.host}]` : status.host;
  const url = `http://${host}:${listening.port}`;
  context.logger.info(`status server listening on ${url}${token ? ' (bearer token required)' : ''}`);
  return { host: status.host, port: listening.port, url, close: () => closeHttp(server) };
}
