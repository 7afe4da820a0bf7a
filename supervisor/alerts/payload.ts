// PURE: one outbox row (alert + the limits stored on its run) → what each sink sends. Thresholds come from the run
// row, never from the message text; history commands from the injected formatter, never from the cwd.
import type { HistoryHint } from '../history/history-command.ts';
import type { DueDelivery } from '../history/outbox.ts';
import { alertAction } from './action-text.ts';
import { alertKindEntry, isAlertKind } from '../vocabulary/alert-catalogue.ts';
import type { RunLimits } from '../vocabulary/run-limits.ts';

export interface AlertPayload {
  /** The idempotency key: the same on every attempt of this delivery. */
  readonly id: string;
  readonly kind: string;
  readonly severity: string;
  readonly message: string;
  /** Slack and Mattermost incoming webhooks show `text`; everyone else reads the fields. */
  readonly text: string;
  readonly action: string | null;
  readonly runId: number | null;
  /** The complete command that shows the run (absolute node and paths, `--config`), as the log lines print it. */
  readonly runCommand: string | null;
  /** The measured RSS of memory kinds, in MB. */
  readonly rssMb: number | null;
  readonly value: number | null;
  /** The run's limits as its row stored them (vocabulary/run-limits.ts); a field the row lacks (an older schema) is null. */
  readonly limits: { readonly [K in keyof Omit<RunLimits, 'sustainMs'>]: number | null } | null;
  readonly host: string;
  readonly raisedAt: string;
  readonly raisedAtMs: number;
  readonly attempt: number;
}

const MEMORY_KINDS = new Set(['memory-warn', 'memory-emergency']);

export function alertPayload(row: DueDelivery, host: string, history: HistoryHint): AlertPayload {
  const action = isAlertKind(row.kind) ? alertAction(alertKindEntry(row.kind).action, history, row.run_id) : null;
  return {
    id: row.idempotency_key,
    kind: row.kind,
    severity: row.level,
    message: row.message,
    text: `[${row.level}] ${row.kind} on ${host}: ${row.message}`,
    action,
    runId: row.run_id,
    runCommand: row.run_id === null ? null : history(['run', String(row.run_id)]),
    rssMb: MEMORY_KINDS.has(row.kind) ? row.value : null,
    value: row.value,
    limits: row.run_id === null || row.emergency_mb === null
      ? null
      : { warnMb: row.warn_mb, emergencyMb: row.emergency_mb, hardLimitMb: row.hard_limit_mb, graceMs: row.grace_ms, timeoutMs: row.timeout_ms },
    host,
    raisedAt: new Date(row.at_ms).toISOString(),
    raisedAtMs: row.at_ms,
    attempt: row.attempts + 1,
  };
}

/**
 * The Alertmanager webhook body (version 4), one alert per body, so a site's Prometheus routing, silences and
 * receivers (PagerDuty, OpsGenie, chat) take our alerts like their own. Recoveries are `resolved`.
 */
export function alertmanagerBody(payload: AlertPayload): Record<string, unknown> {
  const resolved = payload.severity === 'info' && payload.kind !== 'supervisor-start';
  const labels = { alertname: payload.kind, severity: payload.severity, instance: payload.host, service: 'sync-supervisor', ...(payload.runId === null ? {} : { run_id: String(payload.runId) }) };
  const annotations = { summary: payload.message, ...(payload.action ? { description: payload.action } : {}) };
  return {
    version: '4',
    groupKey: `{}:{alertname="${payload.kind}"}`,
    truncatedAlerts: 0,
    status: resolved ? 'resolved' : 'firing',
    receiver: 'sync-supervisor',
    groupLabels: { alertname: payload.kind },
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: '',
    alerts: [{
      status: resolved ? 'resolved' : 'firing',
      labels,
      annotations,
      startsAt: payload.raisedAt,
      endsAt: resolved ? payload.raisedAt : '0001-01-01T00:00:00Z',
      generatorURL: '',
      fingerprint: payload.id,
    }],
  };
}

/** The alert as environment variables for a command sink, after monit's MONIT_* habit. */
export function alertEnv(payload: AlertPayload): Record<string, string> {
  const text = (value: number | null): string => (value === null ? '' : String(value));
  return {
    SYNC_ALERT_ID: payload.id,
    SYNC_ALERT_KIND: payload.kind,
    SYNC_ALERT_SEVERITY: payload.severity,
    SYNC_ALERT_MESSAGE: payload.message,
    SYNC_ALERT_ACTION: payload.action ?? '',
    SYNC_ALERT_RUN_ID: text(payload.runId),
    SYNC_ALERT_RUN_COMMAND: payload.runCommand ?? '',
    SYNC_ALERT_RSS_MB: text(payload.rssMb),
    SYNC_ALERT_VALUE: text(payload.value),
    SYNC_ALERT_WARN_MB: text(payload.limits?.warnMb ?? null),
    SYNC_ALERT_EMERGENCY_MB: text(payload.limits?.emergencyMb ?? null),
    SYNC_ALERT_HARD_LIMIT_MB: text(payload.limits?.hardLimitMb ?? null),
    SYNC_ALERT_HOST: payload.host,
    SYNC_ALERT_AT: payload.raisedAt,
    SYNC_ALERT_AT_MS: String(payload.raisedAtMs),
    SYNC_ALERT_ATTEMPT: String(payload.attempt),
    SYNC_ALERT_JSON: JSON.stringify(payload),
  };
}

/** A mail's subject and plain-text body. */
export function alertMail(payload: AlertPayload): { subject: string; text: string } {
  const limits = payload.limits
    ? `limits: warn ${payload.limits.warnMb ?? '-'} MB, emergency ${payload.limits.emergencyMb ?? '-'} MB, hard ${payload.limits.hardLimitMb ?? '-'} MB\n`
    : '';
  return {
    subject: `[sync-supervisor] ${payload.severity} ${payload.kind} on ${payload.host}`,
    text: `${payload.message}\n\n${payload.action ? `What to do: ${payload.action}\n` : ''}${payload.rssMb === null ? '' : `RSS: ${payload.rssMb} MB\n`}${limits}` +
      `host: ${payload.host}\nraised: ${payload.raisedAt}\n${payload.runId === null ? '' : `run: ${payload.runId} (${payload.runCommand ?? ''})\n`}alert id: ${payload.id}\n`,
  };
}
