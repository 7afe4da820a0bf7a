import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';
import { RUN_STATUSES, type RunStatus } from './words.ts';

/** What a run's status means everywhere it is acted on: one row per status, read by every decision about it. */
export interface RunStatusFacts {
  /** Another attempt in the same tick makes sense (a kill or a failure; never success, a shutdown or a skip). */
  readonly restarts: boolean;
  /** The supervisor killed it for cause (memory or timeout): the kill wording, plot markers and run-once exit 3. */
  readonly countsAsKill: boolean;
  /** The supervisor ended it itself, for cause or for shutdown: counted in the kills-by-reason metric. */
  readonly stoppedBySupervisor: boolean;
  /** Cut short by the supervisor's own end (a shutdown, or its death noticed at the next start). */
  readonly cutShort: boolean;
  /** `run-once`'s exit code when the tick ends with this status (documented in --help and ecosystem.md). */
  readonly onceExitCode: number;
  /** A finished run whose peak RSS is a point of the runner's trend (and of the plot's run peaks). */
  readonly feedsTrend: boolean;
  /** The level of the one-line summary logged when a run ends so. */
  readonly summaryLevel: 'info' | 'warn';
}

const KILLED = supervisorCodes.RUN_KILLED.exitCode;
const FAILED = supervisorCodes.RUN_FAILED.exitCode;

// node-cron's habit: the table is the decision. Add a status to RUN_STATUSES and the compiler asks for its row here.
export const RUN_STATUS_FACTS: Readonly<Record<RunStatus, RunStatusFacts>> = {
  ok:          { restarts: false, countsAsKill: false, stoppedBySupervisor: false, cutShort: false, onceExitCode: 0,      feedsTrend: true,  summaryLevel: 'info' },
  failed:      { restarts: true,  countsAsKill: false, stoppedBySupervisor: false, cutShort: false, onceExitCode: FAILED, feedsTrend: true,  summaryLevel: 'warn' },
  killed:      { restarts: true,  countsAsKill: true,  stoppedBySupervisor: true,  cutShort: false, onceExitCode: KILLED, feedsTrend: true,  summaryLevel: 'warn' },
  timeout:     { restarts: true,  countsAsKill: true,  stoppedBySupervisor: true,  cutShort: false, onceExitCode: KILLED, feedsTrend: true,  summaryLevel: 'warn' },
  interrupted: { restarts: false, countsAsKill: false, stoppedBySupervisor: true,  cutShort: true,  onceExitCode: 0,      feedsTrend: true,  summaryLevel: 'info' },
  orphaned:    { restarts: false, countsAsKill: false, stoppedBySupervisor: false, cutShort: true,  onceExitCode: FAILED, feedsTrend: true,  summaryLevel: 'warn' },
  running:     { restarts: false, countsAsKill: false, stoppedBySupervisor: false, cutShort: false, onceExitCode: FAILED, feedsTrend: false, summaryLevel: 'warn' },
  skipped:     { restarts: false, countsAsKill: false, stoppedBySupervisor: false, cutShort: false, onceExitCode: FAILED, feedsTrend: false, summaryLevel: 'warn' },
};

/** The facts of a status read from the history, where an unknown word (a newer supervisor's) gets none. */
export function runStatusFacts(status: string): RunStatusFacts | undefined {
  return (RUN_STATUSES as readonly string[]).includes(status) ? RUN_STATUS_FACTS[status as RunStatus] : undefined;
}

/** The statuses for which `fact` holds, for an SQL `status IN (…)` list. */
export function statusesWhere(fact: (facts: RunStatusFacts) => boolean): RunStatus[] {
  return RUN_STATUSES.filter((status) => fact(RUN_STATUS_FACTS[status]));
}

/** `status IN ('ok', …)` for the statuses where `fact` holds; the words come from the table, never from input. */
export function statusInSql(fact: (facts: RunStatusFacts) => boolean): string {
  return `status IN (${statusesWhere(fact).map((s) => `'${s}'`).join(', ')})`;
}
