import { dirname, isAbsolute, resolve } from 'node:path';
import { resolveAlertsConfig, type RawAlertsConfig } from './resolve-alerts-config.ts';
import { DEFAULTS, defaultRunner } from './defaults.ts';
import type { Schedule, SupervisorConfig } from './types.ts';

/** The shape a config file has once the schema accepted it: every key optional. */
export interface RawConfig {
  schedule?: string | { everyMs: number };
  timezone?: string;
  runOnStart?: boolean;
  runner?: { command: string; args?: string[]; env?: Record<string, string>; cwd?: string };
  sync?: { pylantirConfig?: string };
  memory?: Partial<SupervisorConfig['memory']>;
  restart?: Partial<SupervisorConfig['restart']>;
  run?: { timeoutMs?: number };
  dataDir?: string;
  log?: Partial<SupervisorConfig['log']>;
  trend?: Partial<SupervisorConfig['trend']>;
  retention?: Partial<SupervisorConfig['retention']>;
  status?: { port?: number; host?: string; tokenEnv?: string };
  alerts?: RawAlertsConfig;
}

// Applies defaults without touching the caller's object. Paths written in a file resolve against that file's folder.
export function resolveConfig(raw: RawConfig, origin: { file?: string; cwd: string }): SupervisorConfig {
  const base = origin.file ? dirname(origin.file) : origin.cwd;
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(base, path));
  const runner = defaultRunner();
  const schedule: Schedule = typeof raw.schedule === 'string' ? { cron: raw.schedule } : raw.schedule ?? DEFAULTS.schedule;
  const emergencyMb = raw.memory?.emergencyMb ?? DEFAULTS.memory.emergencyMb;
  const memory = resolveMemoryLines(raw.memory ?? {}, emergencyMb);
  return {
    schedule,
    ...(raw.timezone ? { timezone: raw.timezone } : {}),
    runOnStart: raw.runOnStart ?? DEFAULTS.runOnStart,
    runner: raw.runner
      ? { command: raw.runner.command, args: [...(raw.runner.args ?? [])], env: { ...raw.runner.env }, cwd: raw.runner.cwd ? at(raw.runner.cwd) : base }
      : { command: runner.command, args: runner.args, env: {}, cwd: runner.cwd },
    sync: { pylantirConfig: raw.sync?.pylantirConfig ? at(raw.sync.pylantirConfig) : runner.pylantirConfig },
    memory: { ...DEFAULTS.memory, ...raw.memory, ...memory.lines },
    restart: { ...DEFAULTS.restart, ...raw.restart },
    run: { ...DEFAULTS.run, ...raw.run },
    dataDir: raw.dataDir ? at(raw.dataDir) : resolve(origin.cwd, DEFAULTS.dataDir),
    log: { ...DEFAULTS.log, ...raw.log },
    trend: { ...DEFAULTS.trend, ...raw.trend },
    retention: { ...DEFAULTS.retention, ...raw.retention },
    status: { ...DEFAULTS.status, ...raw.status },
    alerts: resolveAlertsConfig(raw.alerts),
    origin: origin.file ?? 'built-in default',
    derived: memory.derived,
  };
}

/**
 * The warning and hard-limit lines follow emergencyMb when unset (80 % and 1.5 ×), so a config that only lowers
 * emergencyMb stays valid; one that sets them keeps its values, and the cross-checks judge them.
 */
function resolveMemoryLines(raw: Partial<SupervisorConfig['memory']>, emergencyMb: number) {
  const derived: Record<string, string> = {};
  if (raw.warnMb === undefined) derived['memory.warnMb'] = `${DEFAULTS.warnFactor * 100} % of memory.emergencyMb`;
  if (raw.hardLimitMb === undefined) derived['memory.hardLimitMb'] = `${DEFAULTS.hardLimitFactor} × memory.emergencyMb`;
  // One decimal: 80 % of a small emergencyMb (1 MB) must stay below it, not round up onto it.
  const warnMb = raw.warnMb ?? Math.round(emergencyMb * DEFAULTS.warnFactor * 10) / 10;
  const hardLimitMb = raw.hardLimitMb ?? Math.round(emergencyMb * DEFAULTS.hardLimitFactor);
  return { lines: { warnMb, hardLimitMb }, derived };
}
