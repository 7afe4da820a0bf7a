import { join } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';

// Every default in one place. Paths here are relative to the supervisor's working directory.
export const DEFAULTS = {
  schedule: { everyMs: 60_000 },
  runOnStart: true,
  memory: { sampleIntervalMs: 100, warnMb: 400, emergencyMb: 500, graceMs: 3000, selfSampleIntervalMs: 60_000 },
  hardLimitFactor: 1.5,
  restart: { maxAttempts: 3, backoffMs: 1000, backoffMaxMs: 30_000 },
  run: { timeoutMs: 10 * 60_000 },
  dataDir: './data',
  log: { level: 'info', json: false },
  trend: { window: 100, minPoints: 10, minSpanMs: 10 * 60_000, warnMbPerHour: 10, criticalMb: 500, logEveryRuns: 10 },
  retention: { samplesDays: 30, runsDays: 365 },
  status: { host: '127.0.0.1' },
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
