import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '../../shared/sqlite.ts';
import { closeLogger } from '../../shared/logger.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import type { SupervisorConfig } from '../../supervisor/config/types.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import type { CurrentRunRow } from '../../supervisor/history/queries-runs.ts';
import type { SupervisorPlugin } from '../../supervisor/plugin.ts';
import { tempDir } from './temp-dir.ts';
import { capturedLogger } from './captured-logger.ts';
import { BYTES_PER_MB as MB } from '../../shared/units.ts';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A config that runs a fixture child under `node`, with a fresh data dir. */
export async function fixtureConfig(script: string, args: string[], overrides: Record<string, unknown> = {}): Promise<SupervisorConfig> {
  const dataDir = await tempDir();
  return parseConfig({ runner: { command: process.execPath, args: [fixture(script), ...args] }, dataDir, ...overrides }, { cwd: dataDir });
}

/** A `runs` row as the supervisor under test writes it (current schema, every column present). */
export type RunRow = CurrentRunRow;

/** Starts an in-process supervisor, runs one tick, stops it, and returns what the history holds. */
export async function superviseOnce(config: SupervisorConfig, plugins: SupervisorPlugin[] = []) {
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, plugins });
  await supervisor.start();
  const outcome = await supervisor.triggerTick();
  await supervisor.stop();
  await closeLogger(logger);
  const history = await readHistory(config.dataDir);
  return { outcome, lines, ...history };
}

export async function readHistory(dataDir: string) {
  const db = await Database.open(join(dataDir, 'history.db'), { readonly: true });
  try {
    const runs = await db.all<RunRow>('SELECT * FROM runs ORDER BY id');
    const samples = await db.all<{ run_id: number | null; source: string; rss_bytes: number; pid_count: number; at_ms: number }>(
      'SELECT run_id, source, rss_bytes, pid_count, at_ms FROM memory_history ORDER BY id',
    );
    const alerts = await db.all<{ level: string; kind: string; message: string; run_id: number | null }>('SELECT * FROM alerts ORDER BY id');
    return { runs, samples, alerts };
  } finally {
    await db.close();
  }
}

export { MB };
/** Re-exported: most supervisor tests take their logger from here. */
export { capturedLogger };
