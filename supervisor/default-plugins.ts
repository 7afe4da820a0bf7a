import type { SupervisorPlugin } from './plugin.ts';
import { createAlertDeliveryPlugin } from './alerts/delivery-plugin.ts';
import { createHealthcheckPlugin } from './alerts/healthcheck-plugin.ts';
import { createRetentionPlugin } from './history/retention-plugin.ts';
import { createStatusPlugin } from './status/status-plugin.ts';
import { createTrendPlugin } from './trend/plugin.ts';
import { createSecondWriterPlugin } from './pylantir/second-writer-plugin.ts';

/**
 * The optional parts a real supervisor runs with. The status server goes first: it is the one most
 * likely to fail at start (a taken port, a missing token), before anything else has started.
 */
export function defaultPlugins(env: NodeJS.ProcessEnv): SupervisorPlugin[] {
  const trend = createTrendPlugin();
  // The alert sinks next: a sink secret whose variable is unset stops the start, like a missing status token.
  return [createStatusPlugin({ env, trend: () => trend.latest() }), createAlertDeliveryPlugin({ env }), createHealthcheckPlugin({ env }), trend, createRetentionPlugin(), createSecondWriterPlugin({ env })];
}
