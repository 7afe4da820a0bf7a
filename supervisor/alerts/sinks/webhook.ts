import type { WebhookSinkConfig } from '../../config/types.ts';
import { sendHttp } from '../http-post.ts';
import { alertmanagerBody } from '../payload.ts';
import { resolveSecret } from '../sink-secrets.ts';
import type { Sink } from './sink.ts';

// A JSON POST per alert: our payload (with a Slack-compatible `text`), or the Alertmanager webhook v4 body.
export function webhookSink(config: WebhookSinkConfig, env: NodeJS.ProcessEnv, timeoutMs: number): Sink {
  const key = `alerts.webhooks (${config.name})`;
  // Read once at start: a missing variable stops the start (CONFIG_INVALID), not the first 3 AM alert.
  const url = resolveSecret(config.url, `${key}.url`, env);
  const headers = Object.fromEntries(Object.entries(config.headers).map(([name, ref]) => [name, resolveSecret(ref, `${key}.headers.${name}`, env)]));
  return {
    name: config.name,
    deliver: (payload, signal) => sendHttp({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'sync-supervisor', 'idempotency-key': payload.id, ...headers },
      body: JSON.stringify(config.format === 'alertmanager' ? alertmanagerBody(payload) : payload),
    }, signal, timeoutMs),
  };
}
