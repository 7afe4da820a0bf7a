// Webhook header names must be RFC 7230 tokens: the HTTP client refuses anything else (a space, a colon, a newline)
// at every delivery, so a bad one would fail each alert instead of the config check.
import type { AlertsConfig } from './types.ts';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One problem per bad header name, naming the sink's key and the name (never the value, which may be a secret). */
export function headerNameProblems(alerts: AlertsConfig): string[] {
  return alerts.webhooks.flatMap((webhook, i) => Object.keys(webhook.headers)
    .filter((name) => !TOKEN.test(name))
    .map((name) => `alerts.webhooks.${i}.headers: expected header names made of letters, digits and !#$%&'*+.^_\`|~- only (an RFC 7230 token), received ${JSON.stringify(name)}; e.g. "X-Api-Key"`));
}
