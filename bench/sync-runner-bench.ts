// Sync-runner figures: (a) 200 records end to end, spawn to exit, median of several runs; (b) 100,000 records:
// peak RSS and upsert throughput, first import and a no-change resync, medians of BIG_RUNS. Runs the built runner, as the supervisor does.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FIELD_MAPPING, syntheticRecords } from '../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../shared/protocol.ts';
import { bytesToMb } from '../shared/units.ts';
import { spawnRunner } from './lib/runner-result.ts';

const RUNNER = fileURLToPath(new URL('../dist/sync-runner/main.js', import.meta.url));
const SUPERVISOR = fileURLToPath(new URL('../dist/supervisor/main.js', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SMALL_RUNS = 7;
/** 100k-record first imports, each followed by a no-change resync; medians are reported, as the machine is shared. */
const BIG_RUNS = 3;

interface RunFigures {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly result: ResultMessage | undefined;
  readonly code: number | null;
}

/** VmRSS of one pid from /proc (Linux); undefined once it is gone. */
function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : bytesToMb(Number(kb) * 1024);
  } catch {
    return undefined;
  }
}

async function runOnce(configPath: string, cwd: string): Promise<RunFigures> {
  const started = performance.now();
  const { child, result } = spawnRunner(process.execPath, [RUNNER, '--pylantir-config', configPath, '--data-dir', join(cwd, 'data')], { cwd, env: { PATH: process.env.PATH ?? '' } });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let peak = 0;
  const sample = () => {
    const mb = child.pid === undefined ? undefined : rssMb(child.pid);
    if (mb !== undefined && mb > peak) peak = mb;
  };
  const sampler = setInterval(sample, 50);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`runner exited ${code}: ${stderr.slice(-2000)}`);
  return { wallMs, peakRssMb: Math.round(peak * 10) / 10, result: result(), code };
}

async function writeExport(dir: string, records: number, seed: number): Promise<string> {
  const configPath = join(dir, 'pylantir-config.json');
  const rows = syntheticRecords(records, { seed }).flat();
  await writeFile(join(dir, 'export.json'), `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  await writeFile(configPath, JSON.stringify({
    db_path: 'worklist.db',
    data_sources: [{ name: 'bench', type: 'redcap-export', config: { site: 'bench', protocol: 'P', path: 'export.json' }, field_mapping: FIELD_MAPPING }],
  }));
  return configPath;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function throughput(run: RunFigures): { rows: number; syncMs: number; rowsPerSecond: number } {
  const source = run.result?.sources[0];
  const rows = (source?.inserted ?? 0) + (source?.updated ?? 0) + (source?.unchanged ?? 0);
  const syncMs = source?.durationMs ?? run.wallMs;
  return { rows, syncMs, rowsPerSecond: Math.round(rows / (syncMs / 1000)) };
}

/** Medians over the runs (rows/s from each run's own sync time), with every run's rows/s and peak for the spread. */
function summarize(runs: readonly RunFigures[]) {
  const each = runs.map((run) => ({ peakRssMb: run.peakRssMb, wallMs: run.wallMs, ...throughput(run) }));
  return {
    rows: each[0]?.rows ?? 0,
    rowsPerSecond: Math.round(median(each.map((r) => r.rowsPerSecond))),
    peakRssMb: median(each.map((r) => r.peakRssMb)),
    wallMs: Math.round(median(each.map((r) => r.wallMs))),
    syncMs: Math.round(median(each.map((r) => r.syncMs))),
    rowsPerSecondRuns: each.map((r) => r.rowsPerSecond),
    peakRssMbRuns: each.map((r) => r.peakRssMb),
  };
}

/** Spawn to exit of any command (node unless named), in ms; it must exit 0. */
async function wallOf(args: readonly string[], cwd: string, command = process.execPath): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd } });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`);
  return performance.now() - started;
}

const spread = (walls: readonly number[]) => ({ medianMs: Math.round(median([...walls])), minMs: Math.round(Math.min(...walls)), maxMs: Math.round(Math.max(...walls)) });

/**
 * 200 records, spawn to exit: the runner alone (node start, module loading, the Pylantir config, reading the export,
 * SQLite open, the upsert, exit), then for comparison a bare `node -e 0` and a whole `sync-supervisor run-once` on the
 * same export (the supervisor's start-up, its history.db open and migration check, the lock, the runner, the history
 * writes), and `npm run sync-once` on it, the walk's command, which adds npm's own start.
 */
async function benchSmall(dir: string): Promise<Record<string, unknown>> {
  const smallConfig = await writeExport(dir, 200, 42);
  // The bundled runner's cwd is the package folder: the supervisor's copy of the config names the worklist absolutely.
  const pylantir = JSON.parse(await readFile(smallConfig, 'utf8')) as Record<string, unknown>;
  const absoluteConfig = join(dir, 'pylantir-absolute.json');
  await writeFile(absoluteConfig, JSON.stringify({ ...pylantir, db_path: join(dir, 'worklist.db') }));
  const supervisorConfig = join(dir, 'supervisor.json');
  await writeFile(supervisorConfig, JSON.stringify({ sync: { pylantirConfig: absoluteConfig }, dataDir: join(dir, 'state') }));
  const loadAtStart = loadavg()[0] ?? 0;
  const runner: number[] = [];
  const bareNode: number[] = [];
  const runOnceWalls: number[] = [];
  const npmWalls: number[] = [];
  for (let i = 0; i < SMALL_RUNS; i++) {
    await rm(join(dir, 'worklist.db'), { force: true });
    runner.push((await runOnce(smallConfig, dir)).wallMs);
    bareNode.push(await wallOf(['-e', '0'], dir));
    await rm(join(dir, 'worklist.db'), { force: true });
    runOnceWalls.push(await wallOf(['--no-turbofan', SUPERVISOR, 'run-once', '--config', supervisorConfig], dir));
    await rm(join(dir, 'worklist.db'), { force: true });
    // The walk's command: npm reads package.json, then starts the same run-once.
    npmWalls.push(await wallOf(['run', '--silent', 'sync-once', '--', '--config', supervisorConfig], PACKAGE_ROOT, 'npm'));
  }
  // A shared machine's load moves every figure here; the bare node start beside them is the yardstick.
  const load = { start: Math.round(loadAtStart * 100) / 100, end: Math.round((loadavg()[0] ?? 0) * 100) / 100 };
  return { runs: SMALL_RUNS, ...spread(runner), bareNodeStart: spread(bareNode), supervisorRunOnce: spread(runOnceWalls), npmSyncOnce: spread(npmWalls), loadAverage1m: load };
}

/** `npm run bench -- sync-runner-200`: the 200-record figures alone, without the 100k imports' minutes. */
export async function benchSyncRunnerSmall(): Promise<Record<string, unknown>> {
  if (!existsSync(RUNNER) || !existsSync(SUPERVISOR)) throw new Error(`${RUNNER} is missing: run \`npm run build\` first`);
  const dir = await mkdtemp(join(tmpdir(), 'sync-runner-bench-'));
  try {
    const figures = { records200: await benchSmall(dir) };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchSyncRunner(): Promise<Record<string, unknown>> {
  if (!existsSync(RUNNER) || !existsSync(SUPERVISOR)) throw new Error(`${RUNNER} is missing: run \`npm run build\` first`);
  const dir = await mkdtemp(join(tmpdir(), 'sync-runner-bench-'));
  try {
    const smallDir = join(dir, 'small');
    const bigDir = join(dir, 'big');
    await Promise.all([mkdir(smallDir), mkdir(bigDir)]);
    const records200 = await benchSmall(smallDir);
    const bigConfig = await writeExport(bigDir, 100_000, 7);
    const firsts: RunFigures[] = [];
    const agains: RunFigures[] = [];
    for (let i = 0; i < BIG_RUNS; i++) {
      await rm(join(bigDir, 'worklist.db'), { force: true });
      firsts.push(await runOnce(bigConfig, bigDir));
      agains.push(await runOnce(bigConfig, bigDir));
    }
    const figures = {
      records200,
      records100k: { runs: BIG_RUNS, firstImport: summarize(firsts), noChangeResync: summarize(agains) },
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchSyncRunner();
}
