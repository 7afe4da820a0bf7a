// What the supervisor itself wrote down about a stopped run, read from its history.db after it exited: the sample
// that first crossed a line, the run's end, its peak and how it ended. Both builds write the same columns
// (history schema 4), so the figures of the two sides come from the same place.
import { Database } from '../../shared/sqlite.ts';
import { bytesToMb, mbToBytes } from '../../shared/units.ts';


interface RunRow {
  id: number;
  status: string;
  signal: string | null;
  exit_code: number | null;
  ended_at_ms: number | null;
  peak_rss_bytes: number | null;
}

export interface StoppedRun {
  readonly status: string;
  /** The signal that ended the runner, as the run's row says (null when it exited on its own after a SIGTERM). */
  readonly signal: string | null;
  readonly exitCode: number | null;
  /** at_ms of the first runner sample at or over the line. */
  readonly crossedAtMs: number;
  /** From the sample before it to the crossing one: how close the adaptive sampling came in on the line. */
  readonly periodBeforeCrossingMs: number;
  /** ended_at_ms: the run's row closed, after the runner's exit and the supervisor's reaping of its tree. */
  readonly endedAtMs: number;
  readonly peakRssMb: number;
}

async function withHistory<T>(path: string, read: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(path, { readonly: true });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

/** The first run in `path` and the first of its samples at or over `lineMb`; throws if it never crossed or never ended. */
export function stoppedRun(path: string, lineMb: number): Promise<StoppedRun> {
  return withHistory(path, async (db) => {
    const run = await db.get<RunRow>('SELECT id, status, signal, exit_code, ended_at_ms, peak_rss_bytes FROM runs ORDER BY id LIMIT 1');
    if (!run || run.ended_at_ms === null) throw new Error(`no closed run in ${path}: ${JSON.stringify(run)}`);
    const crossing = await db.get<{ at: number | null }>(
      "SELECT MIN(at_ms) AS at FROM memory_history WHERE source = 'runner' AND run_id = ? AND rss_bytes >= ?",
      [run.id, mbToBytes(lineMb)],
    );
    if (crossing?.at == null) throw new Error(`run ${run.id} in ${path} has no sample at or over ${lineMb} MB (status ${run.status})`);
    const previous = await db.get<{ at: number | null }>("SELECT MAX(at_ms) AS at FROM memory_history WHERE source = 'runner' AND run_id = ? AND at_ms < ?", [run.id, crossing.at]);
    return {
      status: run.status,
      signal: run.signal,
      exitCode: run.exit_code,
      crossedAtMs: crossing.at,
      periodBeforeCrossingMs: previous?.at == null ? Number.NaN : crossing.at - previous.at,
      endedAtMs: run.ended_at_ms,
      peakRssMb: bytesToMb(run.peak_rss_bytes ?? 0),
    };
  });
}

/** Runner samples written with at_ms in [fromMs, toMs]. */
export function runnerSamplesBetween(path: string, fromMs: number, toMs: number): Promise<number> {
  return withHistory(path, async (db) => {
    const row = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM memory_history WHERE source = 'runner' AND at_ms BETWEEN ? AND ?", [fromMs, toMs]);
    return row?.n ?? 0;
  });
}
