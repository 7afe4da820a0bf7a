import type { AlertsConfig } from '../../config/types.ts';
import { commandSink } from './command.ts';
import { mailSink } from './mail.ts';
import type { Sink } from './sink.ts';
import { webhookSink } from './webhook.ts';

// Every configured sink by name; throws CONFIG_INVALID for a secret whose variable is unset.
export function buildSinks(alerts: AlertsConfig, env: NodeJS.ProcessEnv): Map<string, Sink> {
  const sinks: Sink[] = [
    ...alerts.webhooks.map((w) => webhookSink(w, env, alerts.timeoutMs)),
    ...alerts.commands.map((c) => commandSink(c, env)),
    ...(alerts.mail ? [mailSink(alerts.mail, env, alerts.timeoutMs)] : []),
  ];
  return new Map(sinks.map((sink) => [sink.name, sink]));
}
