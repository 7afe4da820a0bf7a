// The rows a dead supervisor left `running`, read and closed at the next start (process/orphans.ts decides how; the
// supervisor's start-up reads and closes them).
import type { Database } from '../../shared/sqlite.ts';
import type { RunStatus } from '../vocabulary/words.ts';

/** A `running` row: enough to tell whether its child is still alive. */
export interface RunningRow {
  readonly id: number;
  readonly pid: number | null;
  readonly pid_start_ticks: number | null;
}

export async function listRunningRows(db: Database): Promise<RunningRow[]> {
  return db.all<RunningRow>("SELECT id, pid, pid_start_ticks FROM runs WHERE status = 'running' ORDER BY id");
}

/** Closes rows a dead supervisor left open, with the status the next start found for them and why. */
export async function closeDeadSupervisorRuns(db: Database, ids: readonly number[], status: Extract<RunStatus, 'orphaned' | 'interrupted'>, atMs: number, error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.run(`UPDATE runs SET status = ?, reason = 'supervisor-died', ended_at_ms = ?, error = ? WHERE id IN (${ids.map(() => '?').join(',')})`, [status, atMs, error, ...ids]);
}
