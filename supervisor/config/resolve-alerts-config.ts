// The `alerts` key with its defaults applied: every sink named, every list present.
import { DEFAULTS } from './defaults.ts';
import type { AlertsConfig, SecretRef } from './types.ts';

/** `alerts` as a config file may write it, once the schema accepted it. */
export interface RawAlertsConfig {
  webhooks?: Array<{ name?: string; url: SecretRef; headers?: Record<string, SecretRef>; kinds?: string[]; format?: 'json' | 'alertmanager' }>;
  commands?: Array<{ name?: string; command: string; args?: string[]; kinds?: string[]; timeoutMs?: number }>;
  healthcheck?: { url: SecretRef };
  mail?: { host: string; port: number; secure?: boolean; from: string; to: string[]; userEnv?: string; passwordEnv?: string; kinds?: string[] };
  timeoutMs?: number;
  retry?: Partial<AlertsConfig['retry']>;
}

/** Never mutates `raw`. A sink without a name gets its kind and position (`webhook-1`), which the outbox rows keep. */
export function resolveAlertsConfig(raw: RawAlertsConfig | undefined): AlertsConfig {
  const timeoutMs = raw?.timeoutMs ?? DEFAULTS.alerts.timeoutMs;
  const { mail, healthcheck } = raw ?? {};
  return {
    webhooks: (raw?.webhooks ?? []).map((w, i) => ({
      name: w.name ?? `webhook-${i + 1}`, url: w.url, headers: { ...w.headers }, format: w.format ?? 'json',
      ...(w.kinds ? { kinds: [...w.kinds] } : {}),
    })),
    commands: (raw?.commands ?? []).map((c, i) => ({
      name: c.name ?? `command-${i + 1}`, command: c.command, args: [...(c.args ?? [])], timeoutMs: c.timeoutMs ?? timeoutMs,
      ...(c.kinds ? { kinds: [...c.kinds] } : {}),
    })),
    ...(healthcheck ? { healthcheck: { url: healthcheck.url } } : {}),
    ...(mail ? { mail: { ...mail, name: 'mail' as const, secure: mail.secure ?? false, to: [...mail.to], ...(mail.kinds ? { kinds: [...mail.kinds] } : {}) } } : {}),
    timeoutMs,
    retry: { ...DEFAULTS.alerts.retry, ...raw?.retry },
  };
}

/** Every sink name, for the duplicate check and for a pending row whose sink was removed from the config. */
export function sinkNames(alerts: AlertsConfig): string[] {
  return [...alerts.webhooks.map((w) => w.name), ...alerts.commands.map((c) => c.name), ...(alerts.mail ? [alerts.mail.name] : [])];
}
