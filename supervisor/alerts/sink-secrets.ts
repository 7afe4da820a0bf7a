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
 * Every secret the alert sinks hold: values read from the environment (a URL, a header, the SMTP user and password),
 * whatever their length (shared/redact.ts hides a very short one only where it stands alone, so it cannot blank half
 * of every line), and header values written inline when 8 characters or longer (an `Authorization` header is a
 * secret wherever it was written; a short inline value such as "1" is a setting, not a secret). Unset variables are
 * skipped here; the sinks refuse them.
 */
export function alertSecrets(alerts: AlertsConfig, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (name: string | undefined): string | undefined => (name === undefined ? undefined : env[name]?.trim());
  const declared = (ref: SecretRef | undefined): string | undefined => (ref === undefined || typeof ref === 'string' ? undefined : fromEnv(ref.env));
  const inline = alerts.webhooks.flatMap((w) => Object.values(w.headers).filter((h): h is string => typeof h === 'string' && h.length >= 8));
  const values = [
    ...alerts.webhooks.flatMap((w) => [declared(w.url), ...Object.values(w.headers).map(declared)]),
    declared(alerts.healthcheck?.url),
    fromEnv(alerts.mail?.userEnv),
    fromEnv(alerts.mail?.passwordEnv),
  ];
  return [...inline, ...values.filter((v): v is string => v !== undefined && v.length > 0)];
}
