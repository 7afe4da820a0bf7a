// Peers: the same leaking fixture under PM2 (default 30 s worker interval), PM2 with a 1 s worker interval, and our
// supervisor, all in one bench run, each measured by the same independent /proc sampler: detection latency (the tree
// first seen at or over the limit → the leaking pid gone), overshoot, and the daemon's idle RSS. Plus a leaking
// grandchild, which PM2 (main pid only) is expected not to see.
import { rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePm2, startPm2, type Pm2Daemon } from './lib/pm2-control.ts';
import { procRss } from './lib/proc-sampler.ts';
import { benchDir, fixture, spawnBin, writeConfig } from './lib/spawn-bin.ts';
import { median, percentile, round } from './lib/stats.ts';
import { BYTES_PER_MB as MB, bytesToMb } from '../shared/units.ts';

const LIMIT_MB = 200;
const RATES = [10, 100];
/** A peer that has not acted this long after the crossing, or whose tree reached this size, is stopped by us. */
const CAP = { msAfterCrossing: 35_000, bytes: 4096 * MB };
const GRANDCHILD_CAP = { msAfterCrossing: 30_000, bytes: 2 * LIMIT_MB * MB };

interface Observation { detected: boolean; latencyMs: number; overshootMb: number }

/**
 * Polls /proc every 2 ms: the tree's RSS (sum over `pids()`), the first sample at or over the limit, the peak,
 * and the moment `leaker` is gone. Past the cap it kills the pids itself and reports "not detected".
 */
async function observe(leaker: number, pids: () => number[], cap: { msAfterCrossing: number; bytes: number }): Promise<Observation> {
  let crossedAt: number | undefined;
  let peak = 0;
  const started = performance.now();
  for (;;) {
    const at = performance.now();
    const leakerRss = procRss(leaker);
    if (leakerRss === undefined) {
      return { detected: true, latencyMs: crossedAt === undefined ? Number.NaN : at - crossedAt, overshootMb: Math.max(0, peak / MB - LIMIT_MB) };
    }
    const rss = pids().reduce((sum, pid) => sum + (procRss(pid) ?? 0), 0);
    peak = Math.max(peak, rss);
    if (crossedAt === undefined && rss >= LIMIT_MB * MB) crossedAt = at;
    const overCap = rss >= cap.bytes || (crossedAt !== undefined && at - crossedAt >= cap.msAfterCrossing) || at - started > 120_000;
    if (overCap) {
      for (const pid of pids()) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      return { detected: false, latencyMs: crossedAt === undefined ? Number.NaN : at - crossedAt, overshootMb: Math.max(0, peak / MB - LIMIT_MB) };
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function summarize(runs: readonly Observation[], rate: number) {
  const detected = runs.filter((r) => r.detected);
  const latency = runs.map((r) => r.latencyMs);
  const overshoot = runs.map((r) => r.overshootMb);
  return {
    runs: runs.length,
    detected: detected.length,
    latencyMsP50: round(median(latency)),
    latencyMsP99: round(percentile(latency, 99)),
    overshootMbP50: round(median(overshoot)),
    overshootMbMax: round(Math.max(...overshoot)),
    /** When some runs were stopped by our cap, the latency and overshoot are lower bounds. */
    lowerBound: detected.length < runs.length,
    overshootTargetMb: round(rate * 0.3),
  };
}

type Summary = ReturnType<typeof summarize>;

let appSeq = 0;
async function pm2Leak(pm2: Pm2Daemon, rate: number): Promise<Observation> {
  const name = `leak-${rate}-${appSeq++}`;
  await pm2.cli('start', fixture('leak.mjs'), '--name', name, '--max-memory-restart', `${LIMIT_MB}M`, '--', String(rate));
  const pid = await pm2.appPid(name);
  const seen = await observe(pid, () => [pid], CAP);
  await pm2.cli('delete', name);
  return seen;
}

async function oursLeak(script: string, rate: number, cap = CAP): Promise<Observation> {
  const dir = await benchDir('peers');
  const config = await writeConfig(dir, {
    runner: { command: process.execPath, args: [fixture(script), String(rate)] },
    memory: { warnMb: LIMIT_MB * 0.75, emergencyMb: LIMIT_MB, graceMs: 3000 },
    restart: { maxAttempts: 1 },
    dataDir: 'data',
  });
  const sup = spawnBin(['run-once', '--config', config], dir);
  sup.onLine(() => undefined);
  let seen: Observation;
  if (script === 'leak.mjs') {
    const pid = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
    seen = await observe(pid, () => [pid], cap);
  } else {
    const match = await sup.waitFor(/PARENT pid=(\d+) grandchild=(\d+)/);
    const parent = Number(match[1]);
    const grandchild = Number(match[2]);
    seen = await observe(grandchild, () => [parent, grandchild], cap);
  }
  await sup.exited;
  await rm(dir, { recursive: true, force: true });
  return seen;
}

/** The leak in a grandchild: PM2 measures only the pid it started, so it should not notice. */
async function pm2Grandchild(pm2: Pm2Daemon, rate: number): Promise<Observation> {
  const name = `grandchild-${appSeq++}`;
  await pm2.cli('start', fixture('leak-grandchild.mjs'), '--name', name, '--max-memory-restart', `${LIMIT_MB}M`, '--', String(rate));
  const parent = await pm2.appPid(name);
  const log = join(pm2.home, 'logs', `${name}-out.log`);
  let grandchild = 0;
  const end = performance.now() + 15_000;
  while (grandchild === 0 && performance.now() < end) {
    let text = '';
    try { text = readFileSync(log, 'utf8'); } catch { /* not written yet */ }
    grandchild = Number(/grandchild=(\d+)/.exec(text)?.[1] ?? 0);
    if (grandchild === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (grandchild === 0) throw new Error('the grandchild fixture never printed its pid under pm2');
  const seen = await observe(grandchild, () => [parent, grandchild], GRANDCHILD_CAP);
  await pm2.cli('delete', name);
  try { process.kill(grandchild, 'SIGKILL'); } catch { /* gone */ }
  return seen;
}

/** How long RSS must hold still to count as settled, and the longest wait for it. */
const SETTLE_STILL_MS = 10_000;
const SETTLE_MAX_MS = 45_000;

/**
 * RSS of a daemon doing nothing, once it has settled: V8's memory reducer gives back start-up garbage about 8-10 s
 * after the last burst of work, in both daemons, so a figure taken at 3 s measured the start-up, not the idle state.
 * Settled = unchanged (within 0.2 MB) for SETTLE_STILL_MS, sampled each 500 ms; the same rule for every daemon.
 */
export async function settledRss(pid: number): Promise<number> {
  const rss = () => bytesToMb(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
  const started = performance.now();
  let value = rss();
  let stillSince = performance.now();
  while (performance.now() - stillSince < SETTLE_STILL_MS && performance.now() - started < SETTLE_MAX_MS) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = rss();
    if (Math.abs(now - value) > 0.2) stillSince = performance.now();
    value = now;
  }
  return value;
}

/** Our idle daemon's settled RSS (MB); `bin` another build's main.js (the before-after suite's). */
export async function oursIdleRss(nodeFlags?: readonly string[], bin?: string): Promise<number> {
  const dir = await benchDir('peers-idle');
  const config = await writeConfig(dir, { schedule: { everyMs: 3_600_000 }, runOnStart: false, runner: { command: '/bin/true' }, dataDir: 'data' });
  const sup = spawnBin(['--config', config], dir, undefined, nodeFlags, { bin });
  await sup.waitFor(/supervisor started/);
  const rss = await settledRss(sup.child.pid ?? 0);
  sup.child.kill('SIGTERM');
  await sup.exited;
  await rm(dir, { recursive: true, force: true });
  return rss;
}

const ratio = (theirs: number, ours: number): number => (ours > 0 && Number.isFinite(theirs) ? round(theirs / ours, 1) : Number.NaN);

/** `PEERS_REPS=N` scales the repetitions down (or up) for a quick check. */
export async function benchPeers() {
  const scale = Number(process.env.PEERS_REPS ?? 1);
  const reps = (n: number) => Math.max(1, Math.round(n * scale));
  const { bin, version } = await ensurePm2();
  const variants: Record<string, Record<string, Summary>> = {};
  const grandchild: Record<string, Summary> = {};
  const idleRssMb: Record<string, number> = {};
  const plan: Array<{ name: string; interval: number | undefined; reps: Record<number, number> }> = [
    { name: 'pm2-default', interval: undefined, reps: { 10: reps(2), 100: reps(3) } },
    { name: 'pm2-1s', interval: 1000, reps: { 10: reps(3), 100: reps(5) } },
  ];
  for (const variant of plan) {
    const pm2 = await startPm2(bin, variant.interval);
    try {
      idleRssMb[variant.name] = round(await settledRss(pm2.godPid()));
      variants[variant.name] = {};
      for (const rate of RATES) {
        const runs: Observation[] = [];
        for (let i = 0; i < (variant.reps[rate] ?? 1); i++) runs.push(await pm2Leak(pm2, rate));
        (variants[variant.name] as Record<string, Summary>)[`${rate}MBps`] = summarize(runs, rate);
        console.log(`peers: ${variant.name} ${rate} MB/s:`, JSON.stringify(summarize(runs, rate)));
      }
      if (variant.name === 'pm2-1s') {
        grandchild[variant.name] = summarize([await pm2Grandchild(pm2, 100)], 100);
        console.log(`peers: ${variant.name} grandchild 100 MB/s:`, JSON.stringify(grandchild[variant.name]));
      }
    } finally {
      await pm2.kill();
    }
  }
  idleRssMb.ours = round(await oursIdleRss());
  variants.ours = {};
  for (const rate of RATES) {
    const runs: Observation[] = [];
    for (let i = 0; i < reps(rate === 10 ? 3 : 5); i++) runs.push(await oursLeak('leak.mjs', rate));
    variants.ours[`${rate}MBps`] = summarize(runs, rate);
    console.log(`peers: ours ${rate} MB/s:`, JSON.stringify(variants.ours[`${rate}MBps`]));
  }
  grandchild.ours = summarize([await oursLeak('leak-grandchild.mjs', 100, GRANDCHILD_CAP)], 100);
  console.log('peers: ours grandchild 100 MB/s:', JSON.stringify(grandchild.ours));

  const ratios: Record<string, Record<string, number>> = {};
  for (const name of ['pm2-default', 'pm2-1s']) {
    const theirs = variants[name] ?? {};
    const r: Record<string, number> = { idleRss: ratio(idleRssMb[name] ?? Number.NaN, idleRssMb.ours) };
    for (const rate of RATES) {
      const t = theirs[`${rate}MBps`];
      const o = variants.ours[`${rate}MBps`];
      if (!t || !o) continue;
      r[`latencyP50_${rate}MBps`] = ratio(t.latencyMsP50, o.latencyMsP50);
      r[`latencyP99_${rate}MBps`] = ratio(t.latencyMsP99, o.latencyMsP99);
      r[`overshootMax_${rate}MBps`] = ratio(t.overshootMbMax, Math.max(o.overshootMbMax, 0.1));
    }
    ratios[name] = r;
  }
  const result = { pm2Version: version, limitMb: LIMIT_MB, variants, grandchild, idleRssMb, ratiosToOurs: ratios };
  console.log('peers ratios (theirs / ours):', JSON.stringify(ratios));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchPeers(), null, 2));
}
