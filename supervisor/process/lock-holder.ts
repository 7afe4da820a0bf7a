import { hostname } from 'node:os';
import { stat } from 'node:fs/promises';
import { isAlive, processStartTicks } from './process-identity.ts';

/** Who holds a lock file (or a takeover claim): written once, atomically, and never changed. */
export interface LockHolder {
  readonly pid: number;
  readonly startTicks: number | null;
  readonly startedAtMs: number;
  readonly host: string;
  /** Random per acquisition, so two files never hold the same text. Absent in files of older versions. */
  readonly nonce?: string;
}

/** Undefined for anything that is not a holder record: such a file is judged stale. */
export function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    return typeof value === 'object' && value !== null && typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

export interface LivenessOptions {
  /** A holder on another host whose heartbeat (the file's mtime) is older than this is taken as dead. */
  readonly staleAfterMs: number;
}

/** Whether the holder of the file at `path` still lives; a holder on another host is judged by its heartbeat. */
export async function holderIsAlive(path: string, holder: LockHolder, now: number, options: LivenessOptions): Promise<boolean> {
  // A holder on another host (a shared volume, a rescheduled pod) cannot be probed; its heartbeat decides.
  if (holder.host !== hostname()) {
    const beat = await stat(path).then((s) => s.mtimeMs, () => 0);
    return now - beat <= options.staleAfterMs;
  }
  if (!isAlive(holder.pid)) return false;
  // The pid may have been reused by an unrelated process since the holder died.
  return holder.startTicks === null || (await processStartTicks(holder.pid)) === holder.startTicks;
}
