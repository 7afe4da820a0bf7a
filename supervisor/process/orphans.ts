import { childEnv } from '../../shared/protocol.ts';
import { processStartTicks, signalGroup, signalProcess } from './process-identity.ts';
import { listProcesses, type ProcessEntry } from './process-tree.ts';
import { carriesEntries } from './run-mark.ts';

/** A run a dead supervisor left `running`, as its history row recorded it: enough to tell whether its child lives. */
export interface DeadSupervisorRun {
  readonly id: number;
  readonly pid: number | null;
  readonly pid_start_ticks: number | null;
}

/** Which run ids start-up must close in the history, and with which status. */
export interface OrphanReport {
  /** Rows with something still alive (the child, or a helper that escaped its group): killed, row marked `orphaned`. */
  readonly orphaned: number[];
  /** Rows whose processes were all gone: marked `interrupted`. */
  readonly interrupted: number[];
}

/**
 * The processes of a dead supervisor's run that outlived its runner's group: every runner and helper inherits the run
 * id and data dir in its environment, and none can have started before the runner did. Without the runner's start
 * time there is no such bound, and a shell with those variables set by hand could be taken for one: none are sought.
 */
function leftoversOf(row: DeadSupervisorRun, dataDir: string, processes: readonly ProcessEntry[]): ProcessEntry[] {
  const since = row.pid_start_ticks;
  if (since === null) return [];
  const entries = [`${childEnv.runId}=${row.id}`, `${childEnv.dataDir}=${dataDir}`];
  return processes.filter((p) => p.startTicks >= since && p.pid !== process.pid && carriesEntries(p.pid, entries));
}

/**
 * A previous supervisor died with runs in flight. A child still alive with the recorded start time is that run's
 * child (not a reused pid): kill its group. A helper that escaped the group (setsid) is found by its environment and
 * killed too, even when the child itself already exited. Every run ends up in the report, for start-up to close.
 * `dataDir` is the data dir every runner was given (`SYNC_SUPERVISOR_DATA_DIR`), as the config resolves it.
 */
export async function reapOrphans(rows: readonly DeadSupervisorRun[], dataDir: string): Promise<OrphanReport> {
  const orphaned: number[] = [];
  const interrupted: number[] = [];
  // One listing serves every row.
  const processes = rows.length > 0 && process.platform === 'linux' ? await listProcesses() : [];
  for (const row of rows) {
    const alive = row.pid !== null && row.pid_start_ticks !== null && (await processStartTicks(row.pid)) === row.pid_start_ticks;
    if (alive && row.pid !== null) signalGroup(row.pid, 'SIGKILL');
    const leftovers = leftoversOf(row, dataDir, processes).filter((p) => signalProcess(p, 'SIGKILL'));
    (alive || leftovers.length > 0 ? orphaned : interrupted).push(row.id);
  }
  return { orphaned, interrupted };
}
