import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { observeUntilGone, procCpuTicks, procRss } from './lib/proc-sampler.ts';
import { benchDir, fixture, spawnBin, writeConfig } from './lib/spawn-bin.ts';
import { median, percentile, round, slope } from './lib/stats.ts';
import { BYTES_PER_MB as MB } from '../shared/units.ts';

const LIMIT_MB = 200;
const CLOCK_TICKS_PER_SECOND = 100;

/** The limit every detection run leaks against. */
export const DETECTION_LIMIT_MB = LIMIT_MB;

export interface DetectionRun {
  latencyMs: number;
  overshootMb: number;
  cpuPercent: number;
  /** performance.now() of the sampler's first sample at or over the limit, and of the pid first seen gone. */
  crossedAt: number;
  goneAt: number;
}

/** Which build runs the leak, and a look at its history.db once the supervisor has exited (before-after suite). */
export interface DetectOptions {
  readonly bin?: string;
  readonly readHistory?: (historyDb: string) => Promise<void>;
}

/**
 * One supervised leak: the independent sampler sees the crossing and the end; the supervisor only gets a config.
 * `extra` adds top-level config keys (an `alerts` section, for the alerts bench).
 */
export async function detectOnce(rateMbPerSec: number, memory: Record<string, number> = {}, extra: Record<string, unknown> = {}, options: DetectOptions = {}): Promise<DetectionRun> {
  const dir = await benchDir('detect');
  const config = await writeConfig(dir, {
    runner: { command: process.execPath, args: [fixture('leak.mjs'), String(rateMbPerSec)] },
    memory: { warnMb: LIMIT_MB * 0.75, emergencyMb: LIMIT_MB, graceMs: 3000, ...memory },
    restart: { maxAttempts: 1 },
    dataDir: 'data',
    ...extra,
  });
  const sup = spawnBin(['run-once', '--config', config], dir, undefined, undefined, { bin: options.bin });
  sup.onLine(() => undefined);
  const pid = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
  const cpuStart = procCpuTicks(sup.child.pid ?? 0);
  const started = performance.now();
  const seen = await observeUntilGone(pid, LIMIT_MB * MB);
  const cpuTicks = procCpuTicks(sup.child.pid ?? 0) - cpuStart;
  const elapsedMs = performance.now() - started;
  await sup.exited;
  try {
    await options.readHistory?.(join(dir, 'data', 'history.db'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // A kill quicker than the sampler's period can end the leak before any look saw it at the line; the crossing then
  // fell between the last look (at most 20 ms of leak below it) and the end, so the latency counts from that look.
  const nearMb = LIMIT_MB - Math.max(2, rateMbPerSec * 0.02);
  const crossedAt = seen.crossedAt ?? (seen.peakBytes >= nearMb * MB ? seen.lastSeenAt : undefined);
  if (crossedAt === undefined) throw new Error(`leak at ${rateMbPerSec} MB/s ended before the sampler saw ${LIMIT_MB} MB`);
  return {
    latencyMs: seen.goneAt - crossedAt,
    overshootMb: Math.max(0, seen.peakBytes / MB - LIMIT_MB),
    cpuPercent: ((cpuTicks / CLOCK_TICKS_PER_SECOND) * 1000 * 100) / elapsedMs,
    crossedAt,
    goneAt: seen.goneAt,
  };
}

/** p50/p99 latency and overshoot of runs at one leak rate, with the overshoot target (0.3 s of leak). */
export function detectionSummary(runs: readonly DetectionRun[], rateMbPerSec: number) {
  const latency = runs.map((r) => r.latencyMs);
  const overshoot = runs.map((r) => r.overshootMb);
  return {
    runs: runs.length,
    latencyMsP50: round(median(latency)),
    latencyMsP99: round(percentile(latency, 99)),
    overshootMbP50: round(median(overshoot)),
    overshootMbMax: round(Math.max(...overshoot)),
    overshootTargetMb: round(rateMbPerSec * 0.3),
    supervisorCpuPercentMedian: round(median(runs.map((r) => r.cpuPercent))),
  };
}

/** Detection latency and overshoot per leak rate, as p50/p99 over 20 runs a rate (issue 12's bar; about 8 minutes). */
export async function benchDetection(rates = [10, 50, 200], reps: Record<number, number> = { 10: 20, 50: 20, 200: 20 }) {
  const out: Record<string, unknown> = {};
  for (const rate of rates) {
    const runs: DetectionRun[] = [];
    for (let i = 0; i < (reps[rate] ?? 5); i++) runs.push(await detectOnce(rate));
    out[`${rate}MBps`] = detectionSummary(runs, rate);
    console.log(`leak ${rate} MB/s vs ${LIMIT_MB} MB:`, JSON.stringify(out[`${rate}MBps`]));
  }
  return out;
}

function warmSlope(rssAt: Record<number, number>, total: number): number {
  const warm = Object.entries(rssAt).map(([k, v]) => [Number(k), v] as const).filter(([k]) => k >= total / 2);
  return warm.length < 2 ? Number.NaN : slope(warm.map(([k]) => k), warm.map(([, v]) => v));
}

/** Supervisor RSS after 10 and after `total` short runs, on a fast fixed-interval schedule. */
export async function benchSupervisorGrowth(total = 1000) {
  const dir = await benchDir('growth');
  const config = await writeConfig(dir, {
    schedule: { everyMs: 50 },
    runner: { command: '/bin/sleep', args: ['0.02'] },
    memory: { selfSampleIntervalMs: 1000 },
    dataDir: 'data',
  });
  const sup = spawnBin(['--config', config], dir);
  const pid = sup.child.pid ?? 0;
  const rssAt: Record<number, number> = {};
  const curveStep = total > 2000 ? 500 : 100;
  let finished = 0;
  const done = new Promise<void>((resolve) =>
    sup.onLine((line) => {
      if (!/\) ok in \d+ ms/.test(line)) return;
      finished += 1;
      if (finished === 10 || finished === 1000 || finished % curveStep === 0 || finished === total) rssAt[finished] = (procRss(pid) ?? 0) / MB;
      if (finished === total) resolve();
    }),
  );
  const started = performance.now();
  await done;
  const seconds = (performance.now() - started) / 1000;
  sup.child.kill('SIGTERM');
  await sup.exited;
  await rm(dir, { recursive: true, force: true });
  const result = {
    runs: total,
    rssMbAfter10: round(rssAt[10] ?? 0),
    ...(total > 1000 ? { rssMbAfter1000: round(rssAt[1000] ?? 0) } : {}),
    [`rssMbAfter${total}`]: round(rssAt[total] ?? 0),
    growthMbPer1000Runs: round((((rssAt[total] ?? 0) - (rssAt[10] ?? 0)) * 1000) / (total - 10), 2),
    /** The slope once warm (second half of the runs), which is what months of uptime see. */
    warmSlopeMbPer1000Runs: round(warmSlope(rssAt, total) * 1000, 2),
    curveMb: Object.fromEntries(Object.entries(rssAt).map(([k, v]) => [k, round(v)])),
    runsPerSecond: round(total / seconds),
  };
  console.log('supervisor growth:', JSON.stringify(result));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ detection: await benchDetection(), growth: await benchSupervisorGrowth() }, null, 2));
}
