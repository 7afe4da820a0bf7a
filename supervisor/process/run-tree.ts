import { signalGroup, signalProcess, startTicksNow } from './process-identity.ts';
import { childPids, childrenFilesAvailable } from './proc-children.ts';
import { HostListing } from './host-listing.ts';
import { identityKey, readEntry, treeMembers, type ProcessEntry } from './process-tree.ts';
import { walkTree, type TreeReaders } from './tree-walk.ts';
import { carriesMark } from './run-mark.ts';

/** How many unmarked identities are kept before the gone ones are dropped. */
const UNMARKED_KEPT = 1024;

/**
 * How often a sample lists the whole host to find what the walk down the tree cannot see: a process that joined the
 * runner's group, or carries the run mark, without being a child of a member (daemonised before any sample saw it).
 * Such a helper is counted at most this late; a kill and the end-of-run reaping always list the whole host.
 */
export const FULL_SCAN_EVERY_MS = 1000;

const procReaders: TreeReaders = { entry: readEntry, childPids };

/** Pure: whether this sample must list the whole host instead of walking the tree. */
export function fullScanDue(nowMs: number, lastFullScanMs: number | undefined, walkable: boolean): boolean {
  return !walkable || lastFullScanMs === undefined || nowMs - lastFullScanMs >= FULL_SCAN_EVERY_MS;
}

/**
 * Every process that belongs to one run, followed for the run's whole life. A member is remembered by pid and start
 * time from the first listing that shows it, so it stays a member (and keeps being counted and signalled) after it
 * leaves the runner's group and parent chain: a helper that calls setsid and whose parent exits is re-parented to
 * init, where neither the parent links nor the group would find it again. A process that left before any listing
 * saw it linked is found by the run mark in its environment instead.
 *
 * A sample walks down from the root and the remembered members (each member's stat read once, its threads'
 * children files), so its cost follows the tree, not the host. About once a second a listing of the system finds
 * the rest, reading only the members and the pids new since the last one (HostListing); right after each signal to
 * the tree it reads every process. Its only extra reads are one environment read for each process started since the
 * runner, once per run.
 */
export class RunTree {
  /** pid → start ticks of every member alive at the last scan. */
  private known = new Map<number, number>();
  /** Processes started during the run whose environment was read and lacks the mark: never read again. */
  private readonly unmarked = new Set<string>();
  private readonly rootStartTicks: number | undefined;
  private last: readonly ProcessEntry[] = [];
  private lastFullScanMs: number | undefined;
  private readonly host = new HostListing();

  /**
   * Call at once after the spawn: the root is our child, so its pid cannot be reused before we have seen it exit,
   * and its start time read here pins it down for the rest of the run.
   */
  constructor(readonly rootPid: number, private readonly mark: string | undefined) {
    this.rootStartTicks = startTicksNow(rootPid);
    if (this.rootStartTicks !== undefined) this.known.set(rootPid, this.rootStartTicks);
  }

  /** One sample's look: the members alive now, each remembered until it is gone. Mostly a walk down the tree. */
  async scan(): Promise<readonly ProcessEntry[]> {
    if (fullScanDue(performance.now(), this.lastFullScanMs, childrenFilesAvailable)) return this.listHost(false);
    return this.remember(walkTree(this.rootPid, this.known, procReaders));
  }

  /**
   * One listing of the whole system: the members by parent link, by group, by memory and by the run mark. Signal
   * what it finds right after signalling the last members, so a helper that escaped since the last full listing is
   * not left out of the kill.
   */
  async fullScan(): Promise<readonly ProcessEntry[]> {
    return this.listHost(true);
  }

  /** `complete` reads every process; otherwise only those HostListing says may have joined since the last listing. */
  private async listHost(complete: boolean): Promise<readonly ProcessEntry[]> {
    this.lastFullScanMs = performance.now();
    const { processes, complete: everyProcess } = await this.host.list(this.known, complete);
    const seeds = new Map(this.known);
    this.addMarked(processes, seeds);
    // Only a listing of every process can tell which identities are gone.
    if (everyProcess) this.forgetGoneUnmarked(processes);
    return this.remember(treeMembers(this.rootPid, seeds, processes));
  }

  /** Every remembered process still alive is a member, so the members are exactly what is worth remembering. */
  private remember(members: readonly ProcessEntry[]): readonly ProcessEntry[] {
    this.known = new Map(members.map((m) => [m.pid, m.startTicks]));
    this.last = members;
    return members;
  }

  /** The members of the last scan, for when a scan fails. */
  lastMembers(): readonly ProcessEntry[] {
    return this.last;
  }

  /**
   * Signals the group while it has members (which also reaches a process forked since the listing), and each member
   * that is still the same process. Follow it with a fresh `fullScan`: a helper may have escaped since the last one
   * (`group` false then, if the group was signalled already). Returns the members hit.
   */
  signalMembers(members: readonly ProcessEntry[], signal: NodeJS.Signals, group = true): readonly ProcessEntry[] {
    if (group && members.some((m) => m.pgid === this.rootPid)) signalGroup(this.rootPid, signal);
    return members.filter((m) => signalProcess(m, signal));
  }

  private addMarked(processes: readonly ProcessEntry[], seeds: Map<number, number>): void {
    if (this.mark === undefined || this.rootStartTicks === undefined) return;
    for (const p of processes) {
      // Nothing started before the runner can have inherited its environment.
      if (p.startTicks < this.rootStartTicks || seeds.get(p.pid) === p.startTicks) continue;
      const key = identityKey(p);
      if (this.unmarked.has(key)) continue;
      if (carriesMark(p.pid, this.mark)) seeds.set(p.pid, p.startTicks);
      else this.unmarked.add(key);
    }
  }

  /** A gone identity never comes back, so keeping it is harmless; pruning only bounds the memory of a long run. */
  private forgetGoneUnmarked(processes: readonly ProcessEntry[]): void {
    if (this.unmarked.size <= UNMARKED_KEPT) return;
    const alive = new Set(processes.map(identityKey));
    for (const key of this.unmarked) if (!alive.has(key)) this.unmarked.delete(key);
  }
}
