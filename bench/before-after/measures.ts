// One measurement of one build (`bin`, a dist/supervisor/main.js) per function, through the real supervisor and the
// same fixtures for both builds. Only config keys both revisions accept. Each returns plain numbers keyed as in
// FIGURES, so the suite can pair them side by side.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { observeUntilGone, procCpuTicks } from '../lib/proc-sampler.ts';
import { benchDir, fixture, spawnBin, writeConfig } from '../lib/spawn-bin.ts';
import { oursIdleRss } from '../peers.ts';
import { DETECTION_LIMIT_MB, detectOnce } from '../supervisor-bench.ts';
import { runnerSamplesBetween, stoppedRun, type StoppedRun } from './run-history.ts';
import { firstSignalTo, straceUsable, straceWrapper } from './signal-trace.ts';
import { mbToBytes } from '../../shared/units.ts';

/** What each figure is, for the table; the JSON keeps the keys. */
export const FIGURES = {
  killGoneMs: 'leak: crossing sample (history) → runner pid gone (/proc, 2 ms) (ms)',
  killClosedMs: 'leak: crossing sample → run row closed (ms, history)',
  killOvershootMb: `leak: peak over emergencyMb ${DETECTION_LIMIT_MB} (MB, history)`,
  killPeriodMs: 'leak: sample period that met the line (ms, history)',
  samplerLatencyMs: 'leak: over the line → pid gone (ms, /proc sampler at 2 ms)',
  samplerOvershootMb: 'leak: peak over the line (MB, /proc sampler)',
  hardGoneMs: 'over hardLimitMb: crossing sample (history) → runner pid gone (/proc) (ms)',
  hardClosedMs: 'over hardLimitMb: crossing sample → run row closed (ms, history)',
  idleRssMb: 'idle supervisor RSS, settled (MB, VmRSS)',
  cpuMsPerSample: 'watching an idle runner: supervisor CPU per sample (ms)',
  cpuPercent: 'watching an idle runner: supervisor CPU (% of a core)',
} as const;
export type FigureKey = keyof typeof FIGURES;
export type Figures = Partial<Record<FigureKey, number>>;

/** The leak rate of the kill measurement: ~1.5 s from the runner's start to the line. */
export const LEAK_MB_PER_SEC = 100;
/** Over hardLimitMb: the record-sigterm fixture holds this much on top of its own ~50 MB (as tests/supervisor/run/hard-limit.test.ts). */
const HARD = { allocateMb: 250, memory: { warnMb: 90, emergencyMb: 120, hardLimitMb: 160, sustainMs: 30_000, graceMs: 30_000 } };
const SIGTERM_SEEN = 'SIGTERM received';
/** A fast base period, so the samples, not the timers around them, are most of the CPU measured. */
const CPU_SAMPLE_MS = 20;
const CPU_WARMUP_MS = 1500;
/** Samples are flushed to history.db at least once a second: waited for before the stop, so none of the window is lost. */
const FLUSH_MS = 1500;

const CLOCK_TICK_MS = 10;

/**
 * A performance.now() of this process as epoch ms, the clock of the supervisor's at_ms: both read the system clock,
 * and the few seconds a run lasts leave no room for drift worth a millisecond.
 */
const epochMs = (at: number): number => performance.timeOrigin + at;

/** The detection suite's leak (leak.mjs vs emergencyMb 200), timed from the history and from the independent sampler. */
export async function leakKill(bin: string): Promise<Figures> {
  let stopped: StoppedRun | undefined;
  const seen = await detectOnce(LEAK_MB_PER_SEC, {}, {}, { bin, readHistory: async (db) => void (stopped = await stoppedRun(db, DETECTION_LIMIT_MB)) });
  const run = stopped as StoppedRun | undefined;
  if (!run) throw new Error('the leak run left no history');
  return {
    killGoneMs: epochMs(seen.goneAt) - run.crossedAtMs,
    killClosedMs: run.endedAtMs - run.crossedAtMs,
    killOvershootMb: Math.max(0, run.peakRssMb - DETECTION_LIMIT_MB),
    killPeriodMs: run.periodBeforeCrossingMs,
    samplerLatencyMs: seen.latencyMs,
    samplerOvershootMb: seen.overshootMb,
  };
}

/** How the hard-limit run ended: its figures, the first signal the supervisor sent it, and whether it saw a SIGTERM. */
export interface HardLimitRun {
  readonly figures: Figures;
  /** From strace of the supervisor's kill() calls; without strace, what the runner saw ('SIGTERM' or the row's signal). */
  readonly firstSignal: string;
  readonly runnerSawSigterm: boolean;
}

/**
 * A runner far over hardLimitMb (the record-sigterm fixture, which prints a SIGTERM the moment its handler runs). Both
 * builds run under strace here when it may trace, so its small cost at each kill() and signal falls on both alike.
 */
export async function hardLimitKill(bin: string): Promise<HardLimitRun> {
  const dir = await benchDir('before-after-hard');
  try {
    const config = await writeConfig(dir, {
      runner: { command: process.execPath, args: [fixture('record-sigterm.mjs'), String(HARD.allocateMb)] },
      memory: HARD.memory,
      restart: { maxAttempts: 1 },
      dataDir: 'data',
    });
    const trace = join(dir, 'kill-calls.strace');
    const sup = spawnBin(['run-once', '--config', config], dir, undefined, undefined, { bin, ...(straceUsable() ? { wrapper: straceWrapper(trace) } : {}) });
    let runnerSawSigterm = false;
    sup.onLine((line) => (runnerSawSigterm ||= line.includes(SIGTERM_SEEN)));
    const pid = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
    const seen = await observeUntilGone(pid, mbToBytes(HARD.memory.hardLimitMb));
    await sup.exited;
    const run = await stoppedRun(join(dir, 'data', 'history.db'), HARD.memory.hardLimitMb);
    const sent = straceUsable() ? firstSignalTo(await readFile(trace, 'utf8'), pid) : undefined;
    return {
      figures: { hardGoneMs: epochMs(seen.goneAt) - run.crossedAtMs, hardClosedMs: run.endedAtMs - run.crossedAtMs },
      firstSignal: sent ?? (runnerSawSigterm ? 'SIGTERM' : (run.signal ?? `none (${run.status}, exit ${run.exitCode})`)),
      runnerSawSigterm,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The idle daemon (no run yet), settled: the peers and host-load suites' measurement. */
export async function idleRss(bin: string): Promise<Figures> {
  return { idleRssMb: await oursIdleRss(undefined, bin) };
}

/**
 * The supervisor's utime+stime over `periods` sample periods while it watches hang.mjs (far below the line, so at
 * twice the base period), divided by the runner samples history.db holds for that window.
 */
export async function samplingCpu(bin: string, periods: number): Promise<Figures> {
  const dir = await benchDir('before-after-cpu');
  try {
    const config = await writeConfig(dir, {
      schedule: { everyMs: 3_600_000 },
      runner: { command: process.execPath, args: [fixture('hang.mjs')] },
      run: { timeoutMs: 3_600_000 },
      memory: { sampleIntervalMs: CPU_SAMPLE_MS },
      dataDir: 'data',
    });
    const sup = spawnBin(['--config', config], dir, undefined, undefined, { bin });
    sup.onLine(() => undefined);
    const pid = sup.child.pid ?? 0;
    let window: { fromMs: number; toMs: number; ticks: number };
    try {
      await sup.waitFor(/READY pid=(\d+)/);
      await sleep(CPU_WARMUP_MS);
      const fromMs = Date.now();
      const ticks = procCpuTicks(pid);
      await sleep(periods * 2 * CPU_SAMPLE_MS);
      window = { fromMs, toMs: Date.now(), ticks: procCpuTicks(pid) - ticks };
      await sleep(FLUSH_MS);
    } finally {
      sup.child.kill('SIGTERM');
      await sup.exited;
    }
    const samples = await runnerSamplesBetween(join(dir, 'data', 'history.db'), window.fromMs, window.toMs);
    const cpuMs = window.ticks * CLOCK_TICK_MS;
    return { cpuMsPerSample: samples > 0 ? cpuMs / samples : Number.NaN, cpuPercent: (cpuMs * 100) / (window.toMs - window.fromMs) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
