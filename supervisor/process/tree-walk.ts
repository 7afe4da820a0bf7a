import type { ProcessEntry } from './process-tree.ts';

/** What the walk needs to know about one process; on Linux, its stat file and its threads' children files. */
export interface TreeReaders {
  /** The process as it is now; undefined when it is gone or a zombie (no memory, nothing left to signal). */
  entry(pid: number): ProcessEntry | undefined;
  /** The pids whose parent it is now. */
  childPids(pid: number): readonly number[];
}

/**
 * Pure given its readers: the members of a run's tree found by following parent links down from the root and from
 * every `known` process (pid → start ticks) that is still the same process. It costs in proportion to the tree,
 * not to the host: each member is read once. What it cannot see, a process that joined the runner's group or
 * carries its mark without being anyone's child in the tree, is left to the full listing the caller runs now and
 * then (`treeMembers`); once seen there, a process is `known` and this walk keeps it.
 */
export function walkTree(rootPid: number, known: ReadonlyMap<number, number>, read: TreeReaders): ProcessEntry[] {
  // A seed with expected start ticks must still be that process; a child found under a member is a member as is.
  const queue: Array<{ pid: number; startTicks: number | undefined }> = [];
  if (!known.has(rootPid)) queue.push({ pid: rootPid, startTicks: undefined });
  for (const [pid, startTicks] of known) queue.push({ pid, startTicks });
  const members = new Map<number, ProcessEntry>();
  while (queue.length > 0) {
    const next = queue.pop() as { pid: number; startTicks: number | undefined };
    if (members.has(next.pid)) continue;
    const entry = read.entry(next.pid);
    // A known pid now held by another process is not ours (the same test treeMembers makes).
    if (!entry || (next.startTicks !== undefined && entry.startTicks !== next.startTicks)) continue;
    members.set(entry.pid, entry);
    for (const child of read.childPids(entry.pid)) if (!members.has(child)) queue.push({ pid: child, startTicks: undefined });
  }
  return [...members.values()];
}
