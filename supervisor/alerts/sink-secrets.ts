// Sink secrets (a webhook URL or header, the SMTP password) read from the environment at start, like the REDCap
// token; and the list of values the logger and the outbox's error text must never show.
import { AppError } from '../../shared/errors/app-error.ts';
import type { AlertsConfig, SecretRef } from '../config/types.ts';

/** The value of `ref`; a `{ env }` naming an unset or empty variable is refused, never sent as nothing. */
export function resolveSecret(ref: SecretRef, key: string, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env]?.trim();
  if (!value) {
    throw new AppError('CONFIG_INVALID', `${key}: expected the environment variable ${ref.env} to hold it, received ${value === undefined ? 'nothing (unset)' : 'an empty value'}`, {
      hint: `Set ${ref.env} in the environment (or in .env / the systemd EnvironmentFile), or remove ${key} from the config.`,
    });
  }
  return value;
}

/** Reads a variable named by `userEnv` / `passwordEnv`, with the same refusal. */
export function resolveEnvName(name: string | undefined, key: string, env: NodeJS.ProcessEnv): string | undefined {
  return name === undefined ? undefined : resolveSecret({ env: name }, key, env);
}

/**
 * Every secret the alert sinks hold: values read from the environment, and header values written inline (an
 * `Authorization` header is a secret wherever it was written). Unset variables are skipped here; the sinks refuse them.
 */
export function alertSecrets(alerts: AlertsConfig, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (ref: SecretRef | undefined): string | undefined => (ref === undefined ? undefined : typeof ref === 'string' ? undefined : env[ref.env]?.trim());
  const values = [
    ...alerts.webhooks.flatMap((w) => [fromEnv(w.url), ...Object.values(w.headers).map((h) => (typeof h === 'string' ? h : fromEnv(h)))]),
    fromEnv(alerts.healthcheck?.url),
    alerts.mail?.passwordEnv === undefined ? undefined : env[alerts.mail.passwordEnv]?.trim(),
  ];
  // Short values (a header like "1") would redact half of every line; real secrets are longer.
  return values.filter((v): v is string => v !== undefined && v.length >= 8);
}
