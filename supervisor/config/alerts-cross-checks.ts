// Rules of the `alerts` key the schema cannot express; each line names its key, like crossCheckConfig's.
import type { AlertsConfig } from './types.ts';
import { sinkNames } from './resolve-alerts-config.ts';

export function alertsProblems(alerts: AlertsConfig): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of sinkNames(alerts)) {
    // The name keys the outbox rows: two sinks sharing one would deliver each other's alerts.
    if (seen.has(name)) problems.push(`alerts: expected every sink name to be unique, received "${name}" twice; give one a "name"`);
    seen.add(name);
  }
  if (alerts.retry.backoffMaxMs < alerts.retry.backoffMs) {
    problems.push(`alerts.retry.backoffMaxMs: expected at least alerts.retry.backoffMs (${alerts.retry.backoffMs}), received ${alerts.retry.backoffMaxMs}`);
  }
  if (alerts.mail && (alerts.mail.userEnv === undefined) !== (alerts.mail.passwordEnv === undefined)) {
    problems.push('alerts.mail: expected userEnv and passwordEnv together (SMTP AUTH needs both), received only one');
  }
  return problems;
}
