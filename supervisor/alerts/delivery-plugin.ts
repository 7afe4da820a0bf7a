import type { SupervisorPlugin } from '../plugin.ts';
import { historyHint } from '../history/history-command.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { alertSecrets } from './sink-secrets.ts';
import { buildSinks } from './sinks/build-sinks.ts';

export interface AlertDeliveryPluginOptions {
  /** Where sink secrets (`{ "env": … }`, userEnv, passwordEnv) are read; the CLI passes its env (process.env plus .env). */
  readonly env: NodeJS.ProcessEnv;
  /**
   * How long a stop waits for deliveries in flight or due, at most; what is still running then is cut and sent at
   * the next start. Tests whose point is the delivery itself raise it, so a slow machine cannot cut it. @default 3000
   */
  readonly drainMs?: number;
}

/** How long a stop waits for deliveries already due (a run-once's kill alert), at most, unless told otherwise. */
const MAX_DRAIN_MS = 3000;

// Delivers the alert outbox (webhooks, commands, mail) from start to stop, including rows a dead predecessor left.
export function createAlertDeliveryPlugin(options: AlertDeliveryPluginOptions): SupervisorPlugin {
  let worker: DeliveryWorker | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'alert-delivery',
    async start(context) {
      const { alerts } = context.config;
      const sinks = buildSinks(alerts, options.env);
      worker = new DeliveryWorker({
        db: () => context.store.db, sinks, history: historyHint(context.config), retry: alerts.retry, timeoutMs: alerts.timeoutMs, logger: context.logger,
        secrets: alertSecrets(alerts, options.env), now: context.now,
      });
      const started = worker;
      unsubscribe = context.alerts.onQueued(() => started.notify());
      started.start();
    },
    async stop() {
      unsubscribe?.();
      await worker?.stop(options.drainMs ?? MAX_DRAIN_MS);
      worker = undefined;
    },
  };
}
