import { alertsProblems } from './alerts-cross-checks.ts';
import { headerNameProblems } from './header-names.ts';
import { nodeCron } from './node-cron.ts';
import { machineMemory, type MachineMemory } from './machine-memory.ts';
import { statusExposureProblem } from './status-exposure.ts';
import type { SupervisorConfig } from './types.ts';

// Rules that span keys or need facts about this machine, which the schema cannot express. Each line names its key.
export function crossCheckConfig(config: SupervisorConfig, machine: MachineMemory = machineMemory()): string[] {
  const problems: string[] = [];
  const { memory, restart } = config;
  if ('cron' in config.schedule && !nodeCron().validate(config.schedule.cron)) {
    problems.push(`schedule: expected a node-cron expression such as "*/5 * * * *" (optional seconds field first), received "${config.schedule.cron}"`);
  }
  if (config.timezone !== undefined && !isKnownTimezone(config.timezone)) {
    problems.push(`timezone: expected an IANA time zone such as "America/Edmonton", received "${config.timezone}"`);
  }
  if (memory.warnMb >= memory.emergencyMb) {
    problems.push(`memory.warnMb: expected less than memory.emergencyMb (${memory.emergencyMb}), received ${memory.warnMb}`);
  }
  // warnMb < emergencyMb, so this bounds warnMb too. hardLimitMb (1.5 × emergencyMb by default) may lie above the
  // RAM: it only shortens the grace period, which graceMs bounds anyway.
  if (memory.emergencyMb > machine.mb) {
    problems.push(`memory.emergencyMb: expected at most ${machine.source} (${machine.mb} MB), received ${memory.emergencyMb}; the kernel would kill the runner before it got there, so the memory guard would never act`);
  }
  if (memory.hardLimitMb < memory.emergencyMb) {
    problems.push(`memory.hardLimitMb: expected at least memory.emergencyMb (${memory.emergencyMb}), received ${memory.hardLimitMb}`);
  }
  // The sustain wait must end before the timeout can, or the emergency line could never stop a run.
  if (memory.sustainMs >= config.run.timeoutMs) {
    problems.push(`memory.sustainMs: expected less than run.timeoutMs (${config.run.timeoutMs}), received ${memory.sustainMs}; the run would time out before the emergency line could stop it`);
  }
  if (restart.backoffMaxMs < restart.backoffMs) {
    problems.push(`restart.backoffMaxMs: expected at least restart.backoffMs (${restart.backoffMs}), received ${restart.backoffMaxMs}`);
  }
  if (config.trend.minPoints > config.trend.window) {
    problems.push(`trend.minPoints: expected at most trend.window (${config.trend.window}), received ${config.trend.minPoints}`);
  }
  const exposure = statusExposureProblem(config.status);
  if (exposure !== undefined) problems.push(exposure);
  problems.push(...alertsProblems(config.alerts));
  problems.push(...headerNameProblems(config.alerts));
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
