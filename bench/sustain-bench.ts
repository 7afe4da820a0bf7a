// memory.sustainMs figures: detection unchanged with sustainMs 0, how long after sustainMs a tree that stays over the
// line is stopped, and that brief spikes are tolerated. Through the built bin, as an operator runs it.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Database } from '../shared/sqlite.ts';
import { mbToBytes } from '../shared/units.ts';
import { spikeControl, type SpikeControl } from '../tests/helpers/spike-control.ts';
import { benchDir, fixture, spawnBin, writeConfig, type BinProcess } from './lib/spawn-bin.ts';
import { median, percentile, round } from './lib/stats.ts';
import { detectOnce, type DetectionRun } from './supervisor-bench.ts';

const SAMPLE_MS = 100;
const SUSTAIN_MS = 1000;
const EMERGENCY_MB = 200;
/** Runner ~50 MB; with the grandchild holding this, ~350 MB: well over the line, well under the hard limit. */
const SPIKE_MB = 250;
const TOLERATING = /runner memory at the emergency line/;

interface RunTimes { status: string; emergency_at_ms: number | null; terminated_at_ms: number | null }

/** One run-once of the spiking runner, driven by `drive`; returns its history row and its samples. */
async function spikeRun(drive: (control: SpikeControl, sup: BinProcess) => Promise<void>) {
  const dir = await benchDir('sustain');
  const control = await spikeControl();
  try {
    const config = await writeConfig(dir, {
      runner: { command: process.execPath, args: [fixture('spike-on-command.mjs'), String(control.port), String(SPIKE_MB)] },
      memory: { sampleIntervalMs: SAMPLE_MS, emergencyMb: EMERGENCY_MB, hardLimitMb: 4000, graceMs: 2000, sustainMs: SUSTAIN_MS },
      restart: { maxAttempts: 1 },
      dataDir: 'data',
    });
    const sup = spawnBin(['run-once', '--config', config], dir);
    sup.onLine(() => undefined);
    await drive(control, sup);
    await sup.exited;
    const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
    try {
      const run = await db.get<RunTimes>('SELECT status, emergency_at_ms, terminated_at_ms FROM runs ORDER BY id LIMIT 1');
      const samples = await db.all<{ at_ms: number; rss_bytes: number }>("SELECT at_ms, rss_bytes FROM memory_history WHERE source = 'runner' ORDER BY id");
      return { run, samples };
    } finally {
      await db.close();
    }
  } finally {
    await control.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Longest stretch of consecutive samples at or over the line, in ms from its first to its last sample. */
function longestOverMs(samples: ReadonlyArray<{ at_ms: number; rss_bytes: number }>): number {
  let longest = 0;
  let since: number | undefined;
  for (const s of samples) {
    if (s.rss_bytes >= mbToBytes(EMERGENCY_MB)) longest = Math.max(longest, s.at_ms - (since ??= s.at_ms));
    else since = undefined;
  }
  return longest;
}

const summary = (runs: DetectionRun[]) => ({
  runs: runs.length,
  latencyMsP50: round(median(runs.map((r) => r.latencyMs))),
  latencyMsP99: round(percentile(runs.map((r) => r.latencyMs), 99)),
  overshootMbMax: round(Math.max(...runs.map((r) => r.overshootMb))),
  supervisorCpuPercentMedian: round(median(runs.map((r) => r.cpuPercent))),
});

export async function benchSustain(reps = { detection: 8, sustained: 8, spikes: 5 }) {
  // 1. sustainMs 0 written out: the same detection as the detection suite's 50 MB/s row.
  const zero: DetectionRun[] = [];
  for (let i = 0; i < reps.detection; i++) zero.push(await detectOnce(50, { sustainMs: 0 }));
  const detectionSustain0 = summary(zero);
  console.log('leak 50 MB/s vs 200 MB, sustainMs 0:', JSON.stringify(detectionSustain0));

  // 2. A tree that stays over: stopped how long after sustainMs (terminated − crossed − sustainMs, from the history).
  const late: number[] = [];
  for (let i = 0; i < reps.sustained; i++) {
    const { run } = await spikeRun(async (control, sup) => {
      const seen = sup.waitFor(TOLERATING); // listening first: the line may come before the grandchild's `held`
      await control.ask('hold');
      await seen;
    });
    if (run?.status !== 'killed' || run.emergency_at_ms === null || run.terminated_at_ms === null) throw new Error(`sustained spike not killed: ${JSON.stringify(run)}`);
    late.push(run.terminated_at_ms - run.emergency_at_ms - SUSTAIN_MS);
  }
  const sustained = {
    runs: late.length, sustainMs: SUSTAIN_MS, sampleIntervalMs: SAMPLE_MS,
    stoppedAfterSustainMsP50: round(median(late)), stoppedAfterSustainMsP99: round(percentile(late, 99)),
    stoppedAfterSustainMsMin: round(Math.min(...late)), stoppedAfterSustainMsMax: round(Math.max(...late)),
  };
  console.log(`held over ${EMERGENCY_MB} MB, sustainMs ${SUSTAIN_MS}:`, JSON.stringify(sustained));

  // 3. Brief spikes (freed as soon as the supervisor has seen them): none may be killed.
  const spikes: Array<{ killed: boolean; overMs: number }> = [];
  for (let i = 0; i < reps.spikes; i++) {
    const { run, samples } = await spikeRun(async (control, sup) => {
      const seen = sup.waitFor(TOLERATING);
      await control.ask('hold');
      await seen;
      await control.ask('free');
      control.exit();
    });
    spikes.push({ killed: run?.status !== 'ok', overMs: longestOverMs(samples) });
  }
  const tolerated = {
    spikes: spikes.length, killed: spikes.filter((s) => s.killed).length, sustainMs: SUSTAIN_MS,
    longestOverLineMsMax: round(Math.max(...spikes.map((s) => s.overMs))),
  };
  console.log(`brief spikes over ${EMERGENCY_MB} MB, sustainMs ${SUSTAIN_MS}:`, JSON.stringify(tolerated));
  return { detectionSustain0, sustained, tolerated };
}
