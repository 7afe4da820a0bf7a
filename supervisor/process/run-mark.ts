import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { childEnv } from '../../shared/protocol.ts';

/** A value that no other run, of this or any other supervisor, shares; the runner gets it as `SYNC_SUPERVISOR_RUN_MARK`. */
export function newRunMark(): string {
  return randomUUID();
}

/**
 * True when the environment `pid` was started with holds every one of `entries` (`NAME=value`, matched whole).
 * Linux only: elsewhere there is no cheap way to read another process's environment. A process of another user
 * cannot be read, and is not ours either.
 */
export function carriesEntries(pid: number, entries: readonly string[]): boolean {
  try {
    // NUL-separated NAME=value entries; a leading NUL lets every entry be matched with its boundaries on both sides.
    const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]);
    return entries.every((entry) => environ.includes(`\0${entry}\0`));
  } catch {
    return false;
  }
}

/**
 * True when `pid` carries this run's mark. Every process the runner starts inherits it unless told otherwise, so
 * this finds a helper that left both the process group (setsid) and the parent chain (its parent exited) before any
 * sample saw it linked to the runner.
 */
export function carriesMark(pid: number, mark: string): boolean {
  return carriesEntries(pid, [`${childEnv.runMark}=${mark}`]);
}
