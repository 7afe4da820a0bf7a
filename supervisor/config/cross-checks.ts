import { validate as isValidCron } from 'node-cron';
import type { SupervisorConfig } from './types.ts';

// Rules that span keys, which the schema cannot express. Each line names the key it is about.
export function crossCheckConfig(config: SupervisorConfig): string[] {
  const problems: string[] = [];
  const { memory, restart } = config;
  if ('cron' in config.schedule && !isValidCron(config.schedule.cron)) {
    problems.push(`schedule: expected a node-cron expression such as "*/5 * * * *" (optional seconds field first), received "${config.schedule.cron}"`);
  }
  if (config.timezone !== undefined && !isKnownTimezone(config.timezone)) {
    problems.push(`timezone: expected an IANA time zone such as "America/Edmonton", received "${config.timezone}"`);
  }
  if (memory.warnMb >= memory.emergencyMb) {
    problems.push(`memory.warnMb: expected less than memory.emergencyMb (${memory.emergencyMb}), received ${memory.warnMb}`);
  }
  if (memory.hardLimitMb < memory.emergencyMb) {
    problems.push(`memory.hardLimitMb: expected at least memory.emergencyMb (${memory.emergencyMb}), received ${memory.hardLimitMb}`);
  }
  if (restart.backoffMaxMs < restart.backoffMs) {
    problems.push(`restart.backoffMaxMs: expected at least restart.backoffMs (${restart.backoffMs}), received ${restart.backoffMaxMs}`);
  }
  if (config.trend.minPoints > config.trend.window) {
    problems.push(`trend.minPoints: expected at most trend.window (${config.trend.window}), received ${config.trend.minPoints}`);
  }
  return problems;
}

function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
