// The IPC vocabulary between the supervisor and any runner it starts. Both sides import only this file.

/** Environment variables the supervisor sets on every child, so any program can learn its context. */
export const childEnv = {
  runId: 'SYNC_SUPERVISOR_RUN_ID',
  dataDir: 'SYNC_SUPERVISOR_DATA_DIR',
  pylantirConfig: 'SYNC_PYLANTIR_CONFIG',
  /** A random value per run: the supervisor finds a helper that escaped the runner's tree by it; nothing to read. */
  runMark: 'SYNC_SUPERVISOR_RUN_MARK',
} as const;

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
}

export interface ResultMessage {
  readonly type: 'result';
  readonly sources: readonly SourceResult[];
  readonly durationMs: number;
}

export interface ReadyMessage {
  readonly type: 'ready';
}

export type RunnerMessage = ProgressMessage | ResultMessage | ReadyMessage;

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
    default:
      return undefined;
  }
}
