// The IPC vocabulary between the supervisor and any runner it starts. Both sides import only this file.

/** Environment variables the supervisor sets on every child, so any program can learn its context. */
export const childEnv = {
  runId: 'SYNC_SUPERVISOR_RUN_ID',
  dataDir: 'SYNC_SUPERVISOR_DATA_DIR',
  pylantirConfig: 'SYNC_PYLANTIR_CONFIG',
  /** A random value per run: the supervisor finds a helper that escaped the runner's tree by it; nothing to read. */
  runMark: 'SYNC_SUPERVISOR_RUN_MARK',
  /**
   * What history.db already holds of each worklist's status-change journal: a JSON object
   * `{ "<journalId>": <seq> }`, every entry with a seq at or below it received. The runner re-sends the rest, so a kill
   * between a worklist commit and its report loses nothing. Absent: send every entry the runner has.
   */
  journalReceived: 'SYNC_SUPERVISOR_JOURNAL_RECEIVED',
  /**
   * The runner's end of its channel to the supervisor, a file descriptor number (always `3`): a duplex socket that
   * carries one JSON object per line (UTF-8, `\n`-ended) each way; see channel-framing.ts. Absent: no supervisor.
   */
  channelFd: 'SYNC_SUPERVISOR_CHANNEL_FD',
} as const;

/** Why the sync changed a worklist row's status (the lifecycle step); `restored` undoes a CANCELED it set itself. */
export const WORKLIST_CHANGE_REASONS = ['record-deleted', 'instance-deleted', 'date-cleared', 'expired', 'restored'] as const;
export type WorklistChangeReason = (typeof WORKLIST_CHANGE_REASONS)[number];

/**
 * One status change the runner committed to worklist.db, journalled in the same transaction. `journalId` names the
 * worklist file's journal (a random id kept in that file), `seq` counts up from 1 within it: (journalId, seq) is
 * unique, so a re-sent change is written once.
 */
export interface WorklistChange {
  readonly journalId: string;
  readonly seq: number;
  readonly rowId: number;
  readonly patientId: string | null;
  readonly fromStatus: string;
  readonly toStatus: string;
  readonly reason: WorklistChangeReason;
  readonly source: string;
  readonly record: string;
  readonly instance: string | null;
  /** The supervisor run that committed it (null when the runner ran alone). */
  readonly runId: number | null;
  readonly atMs: number;
}

/** Journal entries not yet in history, in seq order, at most MAX_CHANGES_PER_MESSAGE per message. */
export interface WorklistChangesMessage {
  readonly type: 'worklist-changes';
  readonly changes: readonly WorklistChange[];
}

export const MAX_CHANGES_PER_MESSAGE = 500;

export interface ProgressMessage {
  readonly type: 'progress';
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly source?: string;
}

export interface SourceResult {
  readonly name: string;
  readonly status: 'ok' | 'skipped' | 'failed';
  /** Why a source was skipped or failed, e.g. `outside operation window`. */
  readonly reason?: string;
  readonly fetched: number;
  readonly mriRows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly warnings: readonly string[];
  readonly durationMs: number;
  readonly error?: { readonly code: string; readonly message: string };
  /** The lifecycle step of this source, when it ran (`cancel_removed` or `expire_after_days` set). */
  readonly lifecycle?: LifecycleResult;
}

/** What one source's lifecycle step did, or would have done (`dryRun`), or why it refused. */
export interface LifecycleResult {
  readonly dryRun: boolean;
  /** Rows hidden (SCHEDULED → CANCELED) or restored, by reason; in a dry run, what would have been. */
  readonly changed: Readonly<Partial<Record<WorklistChangeReason, number>>>;
  /** Removed visits whose row the scanner owns (not SCHEDULED), left as they are. */
  readonly kept: number;
  /** Rows of this source the scanner can see (SCHEDULED, IN_PROGRESS, DISCONTINUED) before the step. */
  readonly visible: number;
  /** Records in the snapshot of the whole project (null when no snapshot ran this time). */
  readonly snapshotRecords: number | null;
  /** The guard stopped the step: nothing was hidden. */
  readonly refused?: { readonly code: string; readonly message: string; readonly wouldHide: number; readonly visible: number };
}

export interface ResultMessage {
  readonly type: 'result';
  readonly sources: readonly SourceResult[];
  readonly durationMs: number;
}

export interface ReadyMessage {
  readonly type: 'ready';
}

export type RunnerMessage = ProgressMessage | ResultMessage | ReadyMessage | WorklistChangesMessage;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isSourceResult(value: unknown): value is SourceResult {
  if (!isRecord(value)) return false;
  const counts = ['fetched', 'mriRows', 'inserted', 'updated', 'unchanged', 'skipped', 'durationMs'] as const;
  return (
    typeof value.name === 'string' &&
    (value.status === 'ok' || value.status === 'skipped' || value.status === 'failed') &&
    counts.every((key) => isCount(value[key])) &&
    Array.isArray(value.warnings) &&
    value.warnings.every((w) => typeof w === 'string')
  );
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

function isWorklistChange(value: unknown): value is WorklistChange {
  if (!isRecord(value)) return false;
  return (
    isText(value.journalId, 64) &&
    Number.isSafeInteger(value.seq) && (value.seq as number) >= 1 &&
    Number.isSafeInteger(value.rowId) &&
    (value.patientId === null || isText(value.patientId, 256)) &&
    isText(value.fromStatus, 64) &&
    isText(value.toStatus, 64) &&
    (WORKLIST_CHANGE_REASONS as readonly unknown[]).includes(value.reason) &&
    isText(value.source, 256) &&
    isText(value.record, 256) &&
    (value.instance === null || isText(value.instance, 64)) &&
    (value.runId === null || Number.isSafeInteger(value.runId)) &&
    isCount(value.atMs)
  );
}

// The supervisor trusts nothing a child sends: anything malformed is dropped (and logged by the caller).
export function parseRunnerMessage(value: unknown): RunnerMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'progress':
      if (typeof value.phase !== 'string' || !isCount(value.done) || !isCount(value.total)) return undefined;
      return value as unknown as ProgressMessage;
    case 'result':
      if (!Array.isArray(value.sources) || !value.sources.every(isSourceResult) || !isCount(value.durationMs)) return undefined;
      return value as unknown as ResultMessage;
    case 'worklist-changes':
      if (!Array.isArray(value.changes) || value.changes.length > MAX_CHANGES_PER_MESSAGE || !value.changes.every(isWorklistChange)) return undefined;
      return value as unknown as WorklistChangesMessage;
    default:
      return undefined;
  }
}
