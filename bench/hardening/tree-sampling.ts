// Hardening figure: what one sample's tree listing costs now that RunTree remembers every process seen in a run
// (pid + start time, plus one environment read per new process to find escaped helpers), against the same listing
// reduced to the root's group and descendants with nothing remembered. In-process, against a real small tree.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../shared/protocol.ts';
import { listProcesses, treeMembers } from '../../supervisor/process/process-tree.ts';
import { newRunMark } from '../../supervisor/process/run-mark.ts';
import { RunTree } from '../../supervisor/process/run-tree.ts';
import { median, percentile, round } from '../lib/stats.ts';

const SMALL_TREE = fileURLToPath(new URL('./small-tree.mjs', import.meta.url));
const CHILDREN = 3;
const NOTHING_KNOWN: ReadonlyMap<number, number> = new Map();

/** Starts the tree as the supervisor starts a runner (own process group, carrying a run mark); resolves on READY. */
export async function startTree(mark: string) {
  const root = spawn(process.execPath, [SMALL_TREE, String(CHILDREN)], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH, [childEnv.runMark]: mark } });
  const exited = once(root, 'exit');
  const stop = async (): Promise<void> => {
    // The whole group, children included, even when the parent is already gone.
    if (root.pid !== undefined) {
      try {
        process.kill(-root.pid, 'SIGKILL');
      } catch {
        // the group is empty already
      }
    }
    await exited;
  };
  const [ready] = (await Promise.race([once(root.stdout, 'data'), exited.then(() => [undefined])])) as [Buffer | undefined];
  if (!ready?.toString().startsWith('READY') || root.pid === undefined) {
    await stop();
    throw new Error(`the small tree did not start: ${ready?.toString() ?? 'exited'}`);
  }
  return { pid: root.pid, stop };
}

const micros = (samples: readonly number[]) => ({ p50: round(median(samples) * 1000), p90: round(percentile(samples, 90) * 1000) });

export async function benchTreeSampling(iterations = 2000, warmup = 100) {
  const mark = newRunMark();
  const tree = await startTree(mark);
  try {
    const runTree = new RunTree(tree.pid, mark);
    const withoutMemory = async () => treeMembers(tree.pid, NOTHING_KNOWN, await listProcesses());
    const variants: Record<string, () => Promise<unknown>> = {
      listingOnly: () => listProcesses(),
      treeWithoutMemory: withoutMemory,
      runTreeScan: () => runTree.scan(),
    };
    const sizes = [(await withoutMemory()).length, (await runTree.scan()).length];
    if (sizes.some((n) => n !== CHILDREN + 1)) throw new Error(`expected ${CHILDREN + 1} members in the tree, found ${sizes.join(' and ')}`);
    const names = Object.keys(variants);
    const ms: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    // Interleaved, the order rotated each round, so a noisy neighbour's burst lands on every variant alike.
    for (let i = 0; i < warmup + iterations; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length] as string;
        const started = performance.now();
        await variants[name]?.();
        if (i >= warmup) ms[name]?.push(performance.now() - started);
      }
    }
    // A run's first scan also reads the environment of each process started since the runner, once.
    const firstScanMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const fresh = new RunTree(tree.pid, mark);
      const started = performance.now();
      await fresh.scan();
      firstScanMs.push(performance.now() - started);
    }
    const perSampleUs = Object.fromEntries(names.map((n) => [n, micros(ms[n] ?? [])]));
    const result = {
      iterations,
      treeProcesses: CHILDREN + 1,
      hostProcesses: (await listProcesses()).length,
      perSampleUs,
      runTreeFirstScanUs: micros(firstScanMs),
      ratioRunTreeToWithoutMemory: round(median(ms.runTreeScan ?? []) / median(ms.treeWithoutMemory ?? []), 3),
      extraUsPerSample: round((median(ms.runTreeScan ?? []) - median(ms.treeWithoutMemory ?? [])) * 1000),
    };
    console.log('tree sampling:', JSON.stringify(result));
    return result;
  } finally {
    await tree.stop();
  }
}
