// Issue 12: a thin supervisor at any host size. Supervisor CPU while it watches one idle runner, on the quiet host
// and with 1,000 extra idle processes (started and stopped here); what one sample costs in-process (the walk down
// the tree against a full listing of /proc); the idle RSS next to PM2's, in the same run; and each module's share.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostProcessCount, startIdleProcesses, type HostLoad } from './lib/host-processes.ts';
import { ensurePm2, startPm2 } from './lib/pm2-control.ts';
import { procCpuTicks, procRss } from './lib/proc-sampler.ts';
import { benchDir, distBin, fixture, root, spawnBin, supervisorNodeFlags, writeConfig } from './lib/spawn-bin.ts';
import { median, percentile, round } from './lib/stats.ts';
import { oursIdleRss, settledRss } from './peers.ts';
import { startTree } from './hardening/tree-sampling.ts';
import { RunTree } from '../supervisor/process/run-tree.ts';
import { BYTES_PER_MB as MB } from '../shared/units.ts';

const CLOCK_TICKS_PER_SECOND = 100;
const EXTRA_PROCESSES = 1000;
const WARMUP_MS = 3000;
const WINDOW_MS = Number(process.env.HOST_LOAD_WINDOW_MS ?? 20_000);
const REPS = Number(process.env.HOST_LOAD_REPS ?? 2);

/** Supervisor CPU (% of one core) over a window while it samples one idle runner (default 100 ms base period; 200 ms far below the line). */
async function watchingCpu(): Promise<{ cpuPercent: number; rssMb: number }> {
  const dir = await benchDir('host-load');
  const config = await writeConfig(dir, {
    schedule: { everyMs: 3_600_000 },
    runner: { command: process.execPath, args: [fixture('hang.mjs')] },
    run: { timeoutMs: 3_600_000 },
    dataDir: 'data',
  });
  const sup = spawnBin(['--config', config], dir);
  sup.onLine(() => undefined);
  await sup.waitFor(/READY pid=(\d+)/);
  const pid = sup.child.pid ?? 0;
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  const ticks = procCpuTicks(pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  const cpuTicks = procCpuTicks(pid) - ticks;
  const elapsedMs = performance.now() - started;
  const rssMb = (procRss(pid) ?? 0) / MB;
  sup.child.kill('SIGTERM');
  await sup.exited;
  await rm(dir, { recursive: true, force: true });
  return { cpuPercent: ((cpuTicks / CLOCK_TICKS_PER_SECOND) * 1000 * 100) / elapsedMs, rssMb };
}

/** In-process cost of one look at a small real tree: RunTree's sample (a walk) and its full listing of /proc. */
async function sampleCostUs(iterations = 500): Promise<{ walkP50: number; walkP90: number; fullScanP50: number; fullScanP90: number }> {
  const tree = await startTree('host-load-bench');
  try {
    const runTree = new RunTree(tree.pid, undefined);
    await runTree.fullScan();
    const walk: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < iterations; i++) {
      let t = performance.now();
      // scan() walks unless a full listing is due; a listing just before keeps it a walk.
      await runTree.fullScan();
      full.push(performance.now() - t);
      t = performance.now();
      await runTree.scan();
      walk.push(performance.now() - t);
    }
    const us = (v: number) => round(v * 1000);
    return { walkP50: us(median(walk)), walkP90: us(percentile(walk, 90)), fullScanP50: us(median(full)), fullScanP90: us(percentile(full, 90)) };
  } finally {
    await tree.stop();
  }
}

async function measureHost(load: HostLoad | undefined) {
  const hostProcesses = hostProcessCount();
  const runs: Array<{ cpuPercent: number; rssMb: number }> = [];
  for (let i = 0; i < REPS; i++) runs.push(await watchingCpu());
  const figures = {
    hostProcesses,
    extraProcesses: load?.count ?? 0,
    cpuPercentMedian: round(median(runs.map((r) => r.cpuPercent)), 2),
    cpuPercentRuns: runs.map((r) => round(r.cpuPercent, 2)),
    rssMbWatching: round(median(runs.map((r) => r.rssMb))),
    sampleCostUs: await sampleCostUs(),
  };
  console.log(`host-load: ${load ? `${load.count} extra processes` : 'quiet host'}:`, JSON.stringify(figures));
  return figures;
}

/**
 * The same idle daemons as the peers suite, side by side: ours (no run yet) and PM2's God daemon, each settled. Ours
 * runs as deployed (`npm run supervise`'s node flags), and again with plain `node`, so the flag's share is visible.
 */
async function idleRssSideBySide(reps = 3) {
  const { bin, version } = await ensurePm2();
  const ours: number[] = [];
  const plain: number[] = [];
  const pm2: number[] = [];
  for (let i = 0; i < reps; i++) {
    ours.push(await oursIdleRss());
    plain.push(await oursIdleRss([]));
    const daemon = await startPm2(bin);
    try {
      pm2.push(await settledRss(daemon.godPid()));
    } finally {
      await daemon.kill();
    }
  }
  const result = {
    pm2Version: version,
    nodeFlags: supervisorNodeFlags.join(' '),
    oursMb: round(median(ours)),
    oursWithoutFlagsMb: round(median(plain)),
    pm2Mb: round(median(pm2)),
    oursRuns: ours.map((v) => round(v)),
    oursWithoutFlagsRuns: plain.map((v) => round(v)),
    pm2Runs: pm2.map((v) => round(v)),
  };
  return { ...result, ratioOursToPm2: round(result.oursMb / result.pm2Mb, 2) };
}

/** What each module adds to a bare node's RSS when imported alone (one fresh node per module). */
function moduleShares(): Record<string, number> {
  const dist = join(root, 'dist');
  const specs: Record<string, string> = {
    'bare node (MB, total)': 'none',
    winston: 'winston',
    execa: 'execa',
    'ajv + compiling the config schema (before)': `ajv-compile:${join(dist, 'supervisor/config/schema.js')}`,
    'ahead-of-time config validator (now)': join(dist, 'supervisor/config/config-validator.js'),
    'prom-client (status server only)': 'prom-client',
    'node-cron (cron schedules only)': 'node-cron',
    'node:http (status server only)': 'node:http',
    pidusage: 'pidusage',
    sqlite3: 'sqlite3',
    'the whole CLI entry (run-cli)': join(dist, 'supervisor/cli/run-cli.js'),
  };
  const shares: Record<string, number> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const out = execFileSync(process.execPath, ['--expose-gc', join(root, 'bench/lib/module-share.mjs'), spec], { cwd: root, encoding: 'utf8' });
    const figures = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { addedMb: number; bareNodeMb: number };
    shares[name] = spec === 'none' ? figures.bareNodeMb : figures.addedMb;
  }
  console.log('host-load: module shares (MB):', JSON.stringify(shares));
  return shares;
}

export async function benchHostLoad() {
  const quiet = await measureHost(undefined);
  const load = await startIdleProcesses(EXTRA_PROCESSES);
  let loaded;
  try {
    loaded = await measureHost(load);
  } finally {
    await load.stop();
  }
  const idleRss = await idleRssSideBySide();
  const ratio = round(loaded.cpuPercentMedian / quiet.cpuPercentMedian, 2);
  const result = {
    bin: distBin,
    windowMs: WINDOW_MS,
    quiet,
    loaded,
    cpuRatioLoadedToQuiet: ratio,
    cpuTargetsMet: loaded.cpuPercentMedian < 2 && ratio <= 1.5,
    idleRss,
    idleRssTargetMet: idleRss.oursMb <= 55,
    moduleSharesMb: moduleShares(),
  };
  console.log('host-load:', JSON.stringify({ cpuRatioLoadedToQuiet: ratio, idleRss }));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHostLoad(), null, 2));
}
