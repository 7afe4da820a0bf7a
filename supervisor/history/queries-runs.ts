// Read queries over `runs` and a run's samples, for the post-mortem CLI.
import type { Database, SqlValue } from '../../shared/sqlite.ts';
import type { RunStatus } from '../vocabulary/words.ts';
import { sqlFilter } from './sql-filter.ts';

/** One `runs` row as stored. */
export interface RunRow {
  readonly id: number;
  readonly tick_at_ms: number;
  readonly attempt: number;
  readonly pid: number | null;
  readonly pid_start_ticks: number | null;
  readonly command: string;
  readonly started_at_ms: number;
  readonly ended_at_ms: number | null;
  readonly status: RunStatus;
  readonly reason: string | null;
  readonly exit_code: number | null;
  readonly signal: string | null;
  /** 1 when the grace-period (or hard-limit) SIGKILL had to end the run. */
  readonly force_killed: number;
  /** Processes that outlived the run and were SIGKILLed after it; absent in files written before schema 3. */
  readonly stragglers_killed?: number;
  readonly peak_rss_bytes: number | null;
  readonly peak_pid_count: number | null;
  readonly sample_count: number;
  readonly warned_at_ms: number | null;
  readonly emergency_at_ms: number | null;
  readonly error: string | null;
  readonly result_json: string | null;
  /** The limits in force; absent in files written before schema 2, null on skipped rows. */
  readonly warn_mb?: number | null;
  readonly emergency_mb?: number | null;
  readonly hard_limit_mb?: number | null;
  readonly grace_ms?: number | null;
  readonly timeout_ms?: number | null;
  /** Schema 3: when the supervisor decided to stop the run, and the sustain window in force; absent before it. */
  readonly terminated_at_ms?: number | null;
  readonly sustain_ms?: number | null;
}

/** A row of a file at the current schema (as this supervisor writes it): every column present. */
export type CurrentRunRow = { readonly [K in keyof RunRow]-?: Exclude<RunRow[K], undefined> };

export interface RunFilter {
  readonly sinceMs?: number;
  readonly status?: string;
  readonly limit: number;
}

function where(filter: Omit<RunFilter, 'limit'>): { clause: string; params: SqlValue[] } {
  return sqlFilter([['started_at_ms >= ?', filter.sinceMs], ['status = ?', filter.status]]);
}

/** The newest `limit` runs matching the filter, newest first (served by the runs_started / runs_status indexes). */
export async function listRuns(db: Database, filter: RunFilter): Promise<RunRow[]> {
  const { clause, params } = where(filter);
  return db.all<RunRow>(`SELECT * FROM runs ${clause} ORDER BY started_at_ms DESC, id DESC LIMIT ?`, [...params, filter.limit]);
}

export async function countRuns(db: Database, filter: Omit<RunFilter, 'limit'>): Promise<number> {
  const { clause, params } = where(filter);
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM runs ${clause}`, params))?.n ?? 0;
}

export async function getRun(db: Database, id: number): Promise<RunRow | undefined> {
  return db.get<RunRow>('SELECT * FROM runs WHERE id = ?', [id]);
}

/** The latest run (not skipped) started by `untilMs`; every column this file has (the limits are absent before schema 2). */
export async function latestRunStartedBy(db: Database, untilMs: number): Promise<RunRow | undefined> {
  return db.get<RunRow>("SELECT * FROM runs WHERE started_at_ms <= ? AND status != 'skipped' ORDER BY started_at_ms DESC, id DESC LIMIT 1", [untilMs]);
}

/** A run's raw samples, oldest first; empty once retention has pruned them. */
export async function runSamples(db: Database, runId: number): Promise<Array<{ at_ms: number; rss_bytes: number; pid_count: number }>> {
  return db.all('SELECT at_ms, rss_bytes, pid_count FROM memory_history WHERE run_id = ? ORDER BY at_ms', [runId]);
}
