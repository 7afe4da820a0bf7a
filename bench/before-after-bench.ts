// Issue 21, "the benches show no regression": the built supervisor at an earlier revision (before, built here in a
// temporary worktree) and this checkout's build (after), against the same fixtures in one run. Each run of one build
// sits next to a run of the other, the order swapped every round (A B, B A, …), so a shared machine's load falls on
// both alike. Latency and overshoot come from each run's history.db (and the independent /proc sampler), idle RSS
// from VmRSS once settled, sampling CPU from utime+stime per sample history.db counted.
import { cpus, loadavg } from 'node:os';
import { buildBefore, defaultBeforeRev, git } from './before-after/before-build.ts';
import { addRun, compareRows, tally, type Series, type Side } from './before-after/compare.ts';
import { FIGURES, hardLimitKill, idleRss, leakKill, LEAK_MB_PER_SEC, samplingCpu, type Figures } from './before-after/measures.ts';
import { straceUsable } from './before-after/signal-trace.ts';
import { beforeAfterTables } from './before-after/table.ts';
import { distBin, supervisorNodeFlags } from './lib/spawn-bin.ts';
import { round } from './lib/stats.ts';

/** Each figure's runs per build (`--rounds N`); 5 keeps the suite near 3 minutes on 2 busy cores. */
const DEFAULT_ROUNDS = 5;
/** Sample periods in one CPU window (4 s at the 20 ms base, 40 ms far below the line). */
const CPU_PERIODS = 100;
/** What `npm run build` reads: a change elsewhere (the bench, tests, docs) leaves the "after" build as committed. */
const BUILD_INPUTS = ['shared', 'supervisor', 'sync-runner', 'types', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function roundsOption(text: string | undefined): number {
  const rounds = Number(text ?? DEFAULT_ROUNDS);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) throw new Error(`before-after: --rounds ${text} is not a whole number from 1 to 50; e.g. --rounds ${DEFAULT_ROUNDS}`);
  return rounds;
}

/** Round r's order: before first in even rounds, after first in odd ones. */
const order = (r: number): Side[] => (r % 2 === 0 ? ['before', 'after'] : ['after', 'before']);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export async function benchBeforeAfter(options: Readonly<Record<string, string>> = {}) {
  const rounds = roundsOption(options.rounds);
  const rev = options.before ?? defaultBeforeRev();
  const loadStart = loadavg()[0] ?? Number.NaN;
  console.log(`before-after: building ${rev} in a temporary worktree`);
  const build = await buildBefore(rev);
  try {
    console.log(`before-after: ${build.commit.slice(0, 8)} built in ${build.buildSeconds} s; ${rounds} rounds`);
    const bins: Record<Side, string> = { before: build.bin, after: distBin };
    const series: Series = {};
    const firstSignal: Record<Side, string[]> = { before: [], after: [] };
    const runnerSawSigterm: Record<Side, string[]> = { before: [], after: [] };
    const each = async (label: string, measure: (side: Side) => Promise<Figures>): Promise<void> => {
      for (const r of range(rounds)) for (const side of order(r)) addRun(series, side, await measure(side));
      console.log(`before-after: ${label} done`);
    };
    await each(`leak at ${LEAK_MB_PER_SEC} MB/s`, (side) => leakKill(bins[side]));
    await each('over hardLimitMb', async (side) => {
      const run = await hardLimitKill(bins[side]);
      firstSignal[side].push(run.firstSignal);
      runnerSawSigterm[side].push(run.runnerSawSigterm ? 'yes' : 'no');
      return run.figures;
    });
    // Every idle daemon at once: RSS barely feels the load, and settling (10 s still) is most of the time.
    const idle = await Promise.all(range(rounds).flatMap((r) => order(r).map(async (side) => ({ side, figures: await idleRss(bins[side]) }))));
    for (const { side, figures } of idle) addRun(series, side, figures);
    console.log('before-after: idle RSS done');
    // A pair at once: the same window of the machine for both.
    for (const r of range(rounds)) {
      const pair = await Promise.all(order(r).map(async (side) => ({ side, figures: await samplingCpu(bins[side], CPU_PERIODS) })));
      for (const { side, figures } of pair) addRun(series, side, figures);
    }
    console.log('before-after: sampling CPU done');
    const keys = Object.keys(FIGURES) as Array<keyof typeof FIGURES>;
    const result = {
      before: { rev, commit: build.commit, subject: build.subject, buildSeconds: build.buildSeconds },
      // Changes to the bench itself are not the build's: only what `npm run build` reads counts as uncommitted.
      after: { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain', '--untracked-files=no', '--', ...BUILD_INPUTS) !== '' },
      nodeFlags: ['node', ...supervisorNodeFlags].join(' '),
      rounds,
      leakMbPerSec: LEAK_MB_PER_SEC,
      host: { cores: cpus().length, loadAverage1mStart: round(loadStart, 2), loadAverage1mEnd: round(loadavg()[0] ?? Number.NaN, 2) },
      rows: compareRows(series, keys).map((row) => ({ label: FIGURES[row.figure as keyof typeof FIGURES], ...row })),
      firstSignal: { before: tally(firstSignal.before), after: tally(firstSignal.after) },
      firstSignalFrom: straceUsable() ? "strace of the supervisor's kill() calls" : "the runner's SIGTERM handler, else the run row's signal (strace not usable here)",
      runnerSawSigterm: { before: tally(runnerSawSigterm.before), after: tally(runnerSawSigterm.after) },
    };
    console.log(`\n${beforeAfterTables(result)}\n`);
    return result;
  } finally {
    build.remove();
  }
}
