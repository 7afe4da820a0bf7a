import { readdirSync } from 'node:fs';
import { listProcesses, readEntry, type ProcessEntry } from './process-tree.ts';

/** Every how many listings each stat file is read again, which bounds how long a reused pid can go unread. */
export const COMPLETE_EVERY = 10;

/**
 * The processes one run's full listing needs to read, for the whole run: on a host of a thousand processes, reading
 * every stat file once a second was most of the supervisor's CPU. A process that was outside the run's tree at the
 * last listing stays outside for its life: it is not in the runner's session, so it cannot join the runner's group;
 * a parent that exits hands it to init or to a reaper above it, never into the tree; and its environment, where the
 * run mark would be, never changes. So a listing reads only the members it is given and the pids that are new since
 * the last listing. A pid reused between two listings would look old: every COMPLETE_EVERY-th listing reads all.
 */
export class HostListing {
  private previous = new Set<string>();
  private listings = 0;

  /**
   * The processes that may be members now: all of them when `complete` (or when a complete read is due), else
   * `members` and the new pids. `complete` in the answer says which it was.
   */
  async list(members: ReadonlyMap<number, number>, complete: boolean): Promise<{ processes: ProcessEntry[]; complete: boolean }> {
    if (process.platform !== 'linux') return { processes: await listProcesses(), complete: true };
    const readAll = complete || this.listings % COMPLETE_EVERY === 0;
    this.listings++;
    const seen = new Set<string>();
    const entries: ProcessEntry[] = [];
    for (const name of readdirSync('/proc')) {
      if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
      seen.add(name);
      if (!readAll && this.previous.has(name) && !members.has(Number(name))) continue;
      const entry = readEntry(name);
      if (entry) entries.push(entry);
    }
    this.previous = seen;
    return { processes: entries, complete: readAll };
  }
}
