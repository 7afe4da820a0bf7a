import { join } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';

// Every default in one place. Paths here are relative to the supervisor's working directory.
export const DEFAULTS = {
  schedule: { everyMs: 60_000 },
  runOnStart: true,
  // warnMb and hardLimitMb are not here: unset, they follow emergencyMb (by warnFactor and hardLimitFactor).
  memory: { sampleIntervalMs: 100, emergencyMb: 500, graceMs: 3000, sustainMs: 0, selfSampleIntervalMs: 60_000 },
  warnFactor: 0.8,
  hardLimitFactor: 1.5,
  restart: { maxAttempts: 3, backoffMs: 1000, backoffMaxMs: 30_000 },
  run: { timeoutMs: 10 * 60_000 },
  dataDir: './data',
  log: { level: 'info', json: false },
  trend: { window: 100, minPoints: 10, minSpanMs: 10 * 60_000, warnMbPerHour: 10, criticalMb: 500, logEveryRuns: 10 },
  retention: { samplesDays: 30, runsDays: 365 },
  status: { host: '127.0.0.1' },
  alerts: { timeoutMs: 10_000, retry: { backoffMs: 5000, backoffMaxMs: 300_000, maxAttempts: 50, maxAgeMs: 86_400_000 } },
} as const;

/** The bundled sync-runner and its demo Pylantir config, used when the config names no runner. */
export function defaultRunner(): { command: string; args: string[]; cwd: string; pylantirConfig: string } {
  const root = packageRoot();
  return {
    command: process.execPath,
    args: [join(root, 'dist', 'sync-runner', 'main.js')],
    cwd: root,
    pylantirConfig: join(root, 'examples', 'demo', 'pylantir-config.json'),
  };
}

/** The config runs the bundled sync-runner (not a custom `runner.command`), so its exit codes are the runner catalogue's. */
export function usesBundledRunner(runner: { readonly args: readonly string[] }): boolean {
  return runner.args[0] === defaultRunner().args[0];
}
