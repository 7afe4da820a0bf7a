import { setTimeout as delay } from 'node:timers/promises';
import { identityKey } from './process-tree.ts';
import type { RunTree } from './run-tree.ts';

export interface TerminateOptions {
  /** The run's processes: the child (whose pid is its group id) and everything it started. */
  readonly tree: RunTree;
  /**
   * SIGKILL as the first signal: a `kill` verdict (over hardLimitMb), a second shutdown signal, or the grace period's
   * end. Otherwise SIGTERM. When to send which is the run's state machine's call (run/run-machine.ts), not this file's.
   */
  readonly immediate: boolean;
}

export interface TerminateResult {
  /** How many processes the signal reached; a SIGKILL that reached none ended nothing (the tree was already gone). */
  readonly signalled: number;
}

/**
 * Signals the members of the last look at once, so the kill never waits on a listing of the whole host (a few ms,
 * far more on a busy host, and environment reads); then lists the host afresh and signals what it finds besides, so
 * a helper that escaped since the last full listing is stopped too. A failed listing must not stop a kill: the first
 * round stands. Returns how many processes were signalled.
 */
async function signalTree(tree: RunTree, signal: NodeJS.Signals): Promise<number> {
  const known = tree.lastMembers();
  const first = tree.signalMembers(known, signal);
  const found = await tree.fullScan().catch(() => [] as const);
  const hit = new Set(first.map(identityKey));
  const groupSignalled = known.some((m) => m.pgid === tree.rootPid);
  const rest = tree.signalMembers(found.filter((m) => !hit.has(identityKey(m))), signal, !groupSignalled);
  return first.length + rest.length;
}

/** One signal to the whole tree, the members of the last look first: SIGKILL at once if `immediate`, else SIGTERM. */
export async function terminateTree(options: TerminateOptions): Promise<TerminateResult> {
  return { signalled: await signalTree(options.tree, options.immediate ? 'SIGKILL' : 'SIGTERM') };
}

/** How long SIGKILLed stragglers may take to vanish before we stop waiting for them. */
const STRAGGLER_DEADLINE_MS = 2000;

export interface ReapResult {
  /** Pids that outlived the child and were SIGKILLed. */
  readonly killed: readonly number[];
  /** Pids still there at the deadline (e.g. stuck in uninterruptible sleep). */
  readonly survivors: readonly number[];
}

/**
 * After the child itself is gone, anything left of its tree (in its group, or escaped from it) is an
 * orphan-to-be: SIGKILL it, list again (a straggler may have forked meanwhile) and repeat until the tree is empty or
 * the deadline passes, so "gone afterwards" holds when the run is recorded. These are not our children, so there is
 * no exit event to await; a short poll is the only way to see them go.
 */
export async function reapStragglers(tree: RunTree): Promise<ReapResult> {
  const killed = new Set<number>();
  const deadline = performance.now() + STRAGGLER_DEADLINE_MS;
  for (;;) {
    const left = await tree.fullScan().catch(() => tree.lastMembers());
    if (left.length === 0) return { killed: [...killed], survivors: [] };
    if (performance.now() >= deadline) return { killed: [...killed], survivors: left.map((p) => p.pid) };
    for (const p of tree.signalMembers(left, 'SIGKILL')) killed.add(p.pid);
    await delay(10);
  }
}
