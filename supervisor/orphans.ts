import type { Database } from '../shared/sqlite.ts';
import { processStartTicks, signalGroup } from './process-identity.ts';

export interface OrphanReport {
  /** Rows whose child was still alive: its group was killed and the row marked `orphaned`. */
  readonly orphaned: number[];
  /** Rows whose child was already gone: marked `interrupted`. */
  readonly interrupted: number[];
}

/**
 * A previous supervisor died with runs in flight. A child still alive with the recorded start time is
 * that run's child (not a reused pid): kill its group. Either way, no row stays `running`.
 */
export async function reapOrphans(db: Database, now: number): Promise<OrphanReport> {
  const rows = await db.all<{ id: number; pid: number | null; pid_start_ticks: number | null }>(
    "SELECT id, pid, pid_start_ticks FROM runs WHERE status = 'running' ORDER BY id",
  );
  const orphaned: number[] = [];
  const interrupted: number[] = [];
  for (const row of rows) {
    const alive = row.pid !== null && row.pid_start_ticks !== null && (await processStartTicks(row.pid)) === row.pid_start_ticks;
    if (alive && row.pid !== null) {
      signalGroup(row.pid, 'SIGKILL');
      orphaned.push(row.id);
    } else {
      interrupted.push(row.id);
    }
  }
  const mark = async (ids: number[], status: string, error: string): Promise<void> => {
    if (ids.length === 0) return;
    await db.run(`UPDATE runs SET status = ?, reason = 'supervisor-died', ended_at_ms = ?, error = ? WHERE id IN (${ids.map(() => '?').join(',')})`, [status, now, error, ...ids]);
  };
  await mark(orphaned, 'orphaned', 'the supervisor died while this run was in flight; its process group was killed at the next start');
  await mark(interrupted, 'interrupted', 'the supervisor died while this run was in flight; the child was already gone at the next start');
  return { orphaned, interrupted };
}
