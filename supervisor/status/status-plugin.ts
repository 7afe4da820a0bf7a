import type { SupervisorContext, SupervisorPlugin } from '../plugin.ts';
import type { TrendSource } from './routes.ts';
import type { RunningStatusServer } from './status-server.ts';

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

// The optional status server: /memory-status, /metrics, /healthz, /live-points and the dashboard at /. Off unless status.port is set.
export function createStatusPlugin(options: StatusPluginOptions): StatusPlugin {
  let server: RunningStatusServer | undefined;
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
      const { port } = context.config.status;
      if (port === undefined) return;
      const { startStatusServer } = await import('./status-server.ts');
      server = await startStatusServer(context, options.env, trend, port);
    },
    async stop(): Promise<void> {
      if (!server) return;
      const closing = server;
      server = undefined;
      await closing.close();
    },
    address: () => (server ? { host: server.host, port: server.port, url: server.url } : undefined),
  };
}
