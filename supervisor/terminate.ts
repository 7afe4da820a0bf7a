import { setTimeout as delay } from 'node:timers/promises';
import { signalGroup } from './process-identity.ts';
import { processTree } from './process-tree.ts';

export interface TerminateOptions {
  /** The child's pid, which is also its process group id. */
  readonly pgid: number;
  /** Resolves when the child itself has exited (its awaited `exit` event). */
  readonly exited: Promise<unknown>;
  readonly graceMs: number;
  /** Aborts the grace period early: SIGKILL at once (hard limit crossed, or a second shutdown signal). */
  readonly escalate: AbortSignal;
}

export interface TerminateResult {
  readonly forceKilled: boolean;
}

async function signalTree(pgid: number, signal: NodeJS.Signals): Promise<boolean> {
  let delivered = signalGroup(pgid, signal);
  // A descendant that moved to its own group is still ours to stop.
  for (const pid of await processTree(pgid).catch(() => [] as number[])) {
    try {
      process.kill(pid, signal);
      delivered = true;
    } catch {
      // already gone
    }
  }
  return delivered;
}

/**
 * SIGTERM to the whole tree, then SIGKILL whatever is left once the grace period ends or `escalate`
 * fires. The stop always has a deadline; `forceKilled` says whether SIGKILL had to be sent to end the child.
 */
export async function terminateTree(options: TerminateOptions): Promise<TerminateResult> {
  const grace = new AbortController();
  const onEscalate = (): void => grace.abort();
  options.escalate.addEventListener('abort', onEscalate, { once: true });
  try {
    if (!options.escalate.aborted) {
      await signalTree(options.pgid, 'SIGTERM');
      const exitedInTime = await Promise.race([
        options.exited.then(() => true),
        delay(options.graceMs, false, { signal: grace.signal }).catch(() => false),
      ]);
      // The caller reaps what the child left in its group, for every way a run ends.
      if (exitedInTime) return { forceKilled: false };
    }
    const delivered = await signalTree(options.pgid, 'SIGKILL');
    await options.exited;
    return { forceKilled: delivered };
  } finally {
    grace.abort();
    options.escalate.removeEventListener('abort', onEscalate);
  }
}

/** How long a SIGKILLed straggler may take to vanish before we stop waiting for it. */
const STRAGGLER_DEADLINE_MS = 2000;

/**
 * After the child itself is gone, anything left in its group is an orphan-to-be: kill it now, and wait
 * (bounded) until the tree is empty, so "gone afterwards" holds when the run is recorded. These are not
 * our children, so there is no exit event to await; a short poll is the only way to see them go.
 */
export async function reapStragglers(pgid: number): Promise<boolean> {
  const left = await processTree(pgid).catch(() => [] as number[]);
  if (left.length === 0) return false;
  const delivered = await signalTree(pgid, 'SIGKILL');
  const deadline = performance.now() + STRAGGLER_DEADLINE_MS;
  while (performance.now() < deadline && (await processTree(pgid).catch(() => [])).length > 0) await delay(10);
  return delivered;
}
