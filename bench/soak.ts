// Soak: the built supervisor on `{ everyMs: 100 }` with the real sync-runner doing a small real sync every run,
// for thousands of runs. Measured from outside through /proc: the supervisor's RSS and fd count every 100 runs.
import { readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIELD_MAPPING, syntheticRecords } from '../examples/demo/synthetic-records.ts';
import { procFdCount } from './lib/proc-sampler.ts';
import { benchDir, root, spawnBin, writeConfig } from './lib/spawn-bin.ts';
import { median, round, slope } from './lib/stats.ts';
import { BYTES_PER_MB as MB } from '../shared/units.ts';

const SAMPLE_EVERY_RUNS = 100;

/** VmRSS from /proc/<pid>/status, in bytes (the figure `ps` and operators read). */
function vmRss(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** A temp folder with a ~20-record REDCap export, its own Pylantir config and worklist, and a supervisor config. */
async function soakWorkspace(): Promise<{ dir: string; config: string; dataDir: string; worklist: string }> {
  const dir = await benchDir('soak');
  const exportPath = join(dir, 'redcap-export.json');
  await writeFile(exportPath, JSON.stringify(syntheticRecords(20, { seed: 42 }).flat()));
  const worklist = join(dir, 'worklist.db');
  const pylantir = join(dir, 'pylantir-config.json');
  await writeFile(pylantir, JSON.stringify({
    db_path: worklist,
    data_sources: [{ name: 'soak', type: 'redcap-export', enabled: true, sync_interval: 60, config: { site: 'soak', protocol: 'SOAK_MRI', path: exportPath }, field_mapping: FIELD_MAPPING }],
  }));
  const dataDir = join(dir, 'data');
  const config = await writeConfig(dir, {
    schedule: { everyMs: 100 },
    runner: { command: process.execPath, args: [join(root, 'dist', 'sync-runner', 'main.js')], cwd: dir },
    sync: { pylantirConfig: pylantir },
    dataDir,
  });
  return { dir, config, dataDir, worklist };
}

interface Point { run: number; rssMb: number; fds: number }

/** Least-squares slope over the points at or after `fromRun`, in MB per 1,000 runs. */
function slopePer1000(points: readonly Point[], fromRun = 0): number {
  const use = points.filter((p) => p.run >= fromRun);
  return use.length < 2 ? Number.NaN : slope(use.map((p) => p.run), use.map((p) => p.rssMb)) * 1000;
}

/** Least-squares slope of the fd count, per 1,000 runs. */
function fdSlope(points: readonly Point[]): number {
  return points.length < 2 ? Number.NaN : slope(points.map((p) => p.run), points.map((p) => p.fds)) * 1000;
}

/** `runs` can be lowered for a quick check with SOAK_RUNS=N. */
export async function benchSoak(runs = Number(process.env.SOAK_RUNS ?? 10_000)) {
  const ws = await soakWorkspace();
  const sup = spawnBin(['--config', ws.config], ws.dir);
  const pid = sup.child.pid ?? 0;
  const points: Point[] = [];
  const durations: number[] = [];
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  let firstAt = 0;
  const done = new Promise<void>((resolve, reject) => {
    void sup.exited.then((code) => reject(new Error(`supervisor exited (${code}) after ${ok} runs`)));
    sup.onLine((line) => {
      if (/tick skipped/.test(line)) skipped++;
      const summary = /run \d+ \(attempt \d+\) (\w+).* in (\d+) ms/.exec(line);
      if (!summary) return;
      if (summary[1] !== 'ok') {
        failed++;
        if (failed <= 5) console.error(`soak: a run did not succeed: ${line}`);
        return;
      }
      ok++;
      durations.push(Number(summary[2]));
      if (ok === 1) firstAt = performance.now();
      if (ok === 1 || ok % SAMPLE_EVERY_RUNS === 0 || ok === runs) {
        points.push({ run: ok, rssMb: vmRss(pid) / MB, fds: procFdCount(pid) });
        if (ok % 1000 === 0) {
          console.log(`soak: ${ok} runs, supervisor RSS ${round(vmRss(pid) / MB)} MB, ${procFdCount(pid)} fds, ${round(slopePer1000(points), 3)} MB/1000 runs so far`);
          console.log(`soak-curve: ${JSON.stringify(points.map((p) => [p.run, round(p.rssMb, 2), p.fds]))}`);
        }
      }
      if (ok === runs) resolve();
    });
  });
  await done;
  const seconds = (performance.now() - firstAt) / 1000;
  sup.child.kill('SIGTERM');
  const exitCode = await sup.exited;
  const historyBytes = ['', '-wal', '-shm'].reduce((sum, ext) => sum + fileSize(join(ws.dataDir, `history.db${ext}`)), 0);
  const worklistBytes = fileSize(ws.worklist);
  await rm(ws.dir, { recursive: true, force: true });
  const first = points[0];
  const last = points[points.length - 1];
  const growth = slopePer1000(points);
  const warmGrowth = slopePer1000(points, runs / 2);
  const result = {
    runs: ok,
    failedRuns: failed,
    skippedTicks: skipped,
    rssMbStart: round(first?.rssMb ?? 0),
    rssMbEnd: round(last?.rssMb ?? 0),
    growthMbPer1000Runs: round(growth, 3),
    warmGrowthMbPer1000Runs: round(warmGrowth, 3),
    targetMbPer1000Runs: 1,
    fdsStart: first?.fds ?? 0,
    fdsEnd: last?.fds ?? 0,
    fdsMax: Math.max(...points.map((p) => p.fds)),
    /** The count moves with whatever is open at the sampled instant (a live child's pipes); a leak shows as a slope. */
    fdSlopePer1000Runs: round(fdSlope(points), 2),
    historyDbMb: round(historyBytes / MB, 2),
    worklistDbKb: round(worklistBytes / 1024),
    msPerRunWallClock: round((seconds * 1000) / Math.max(1, ok - 1)),
    runDurationMsMedian: round(median(durations)),
    totalMinutes: round(seconds / 60),
    supervisorExitCode: exitCode,
    curve: points.map((p) => [p.run, round(p.rssMb, 2), p.fds]),
    meetsTarget: growth < 1 && Math.abs(fdSlope(points)) < 1,
  };
  const { curve: _curve, ...headline } = result;
  console.log('soak:', JSON.stringify(headline));
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchSoak(process.argv[2] ? Number(process.argv[2]) : undefined), null, 2));
}
