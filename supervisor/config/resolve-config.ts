import { dirname, isAbsolute, resolve } from 'node:path';
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
}

// Applies defaults without touching the caller's object. Paths written in a file resolve against that file's folder.
export function resolveConfig(raw: RawConfig, origin: { file?: string; cwd: string }): SupervisorConfig {
  const base = origin.file ? dirname(origin.file) : origin.cwd;
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(base, path));
  const runner = defaultRunner();
  const schedule: Schedule = typeof raw.schedule === 'string' ? { cron: raw.schedule } : raw.schedule ?? DEFAULTS.schedule;
  const emergencyMb = raw.memory?.emergencyMb ?? DEFAULTS.memory.emergencyMb;
  return {
    schedule,
    ...(raw.timezone ? { timezone: raw.timezone } : {}),
    runOnStart: raw.runOnStart ?? DEFAULTS.runOnStart,
    runner: raw.runner
      ? { command: raw.runner.command, args: [...(raw.runner.args ?? [])], env: { ...raw.runner.env }, cwd: raw.runner.cwd ? at(raw.runner.cwd) : base }
      : { command: runner.command, args: runner.args, env: {}, cwd: runner.cwd },
    sync: { pylantirConfig: raw.sync?.pylantirConfig ? at(raw.sync.pylantirConfig) : runner.pylantirConfig },
    memory: {
      ...DEFAULTS.memory,
      ...raw.memory,
      hardLimitMb: raw.memory?.hardLimitMb ?? Math.round(emergencyMb * DEFAULTS.hardLimitFactor),
    },
    restart: { ...DEFAULTS.restart, ...raw.restart },
    run: { ...DEFAULTS.run, ...raw.run },
    dataDir: raw.dataDir ? at(raw.dataDir) : resolve(origin.cwd, DEFAULTS.dataDir),
    log: { ...DEFAULTS.log, ...raw.log },
    trend: { ...DEFAULTS.trend, ...raw.trend },
    retention: { ...DEFAULTS.retention, ...raw.retention },
    status: { ...DEFAULTS.status, ...raw.status },
    origin: origin.file ?? 'built-in default',
  };
}
