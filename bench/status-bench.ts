// Bench: what the status server costs the supervisor (extra RSS) and how /memory-status holds up under
// 50 concurrent keep-alive clients for 10 s on loopback, while the supervisor keeps sampling its runner every 100 ms.
// Standalone: `node --import tsx bench/status-bench.ts`. The load runs in a child process so the clients' own
// memory and CPU are not counted against the supervisor.
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { closeLogger, createLogger } from '../shared/logger.ts';
import { parseConfig } from '../supervisor/config/load-config.ts';
import type { SupervisorContext, SupervisorPlugin } from '../supervisor/plugin.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { percentile, round as roundTo } from './lib/stats.ts';
import { timedGet } from './lib/timed-get.ts';
import { BYTES_PER_MB as MB } from '../shared/units.ts';

const HERE = fileURLToPath(import.meta.url);
const HANG = fileURLToPath(new URL('../tests/fixtures/hang.mjs', import.meta.url));

interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly durationMs: number;
  readonly latenciesMs: number[];
}

const round = (value: number, digits = 2): number => roundTo(value, digits);

// One client: its own keep-alive socket, one request at a time, until the deadline. Bounded by time, not by count.
async function client(url: string, deadline: number, out: { latencies: number[]; errors: number }): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  while (performance.now() < deadline) {
    const { ok, ms } = await timedGet(url, { agent, timeoutMs: 5000 });
    if (ok) out.latencies.push(ms);
    else out.errors += 1;
  }
  agent.destroy();
}

/** The load generator: `clients` loops against `url` for `durationMs`; prints one JSON line. */
async function runLoad(url: string, clients: number, durationMs: number): Promise<LoadResult> {
  const out = { latencies: [] as number[], errors: 0 };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, () => client(url, started + durationMs, out)));
  return { requests: out.latencies.length + out.errors, errors: out.errors, durationMs: performance.now() - started, latenciesMs: out.latencies };
}

function loadInChild(url: string, clients: number, durationMs: number): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), HERE, '--load', url, String(clients), String(durationMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as LoadResult) : reject(new Error(`load child exited ${code}`))));
  });
}

/** RSS after letting the heap settle: a forced GC when available (--expose-gc), then the median of five readings. */
async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc?.();
    await delay(200);
    readings.push(process.memoryUsage.rss());
  }
  return readings.sort((a, b) => a - b)[2] ?? NaN;
}

// Gaps between the supervisor's runner samples: the status server must not make the 100 ms watch late.
function sampleGaps(points: ReadonlyArray<{ atMs: number }>, fromMs: number, toMs: number): number[] {
  const inside = points.filter((p) => p.atMs >= fromMs && p.atMs <= toMs);
  return inside.slice(1).map((p, i) => p.atMs - (inside[i]?.atMs ?? p.atMs)).sort((a, b) => a - b);
}

export async function benchStatus(options: { clients?: number; durationMs?: number; path?: string } = {}): Promise<Record<string, unknown>> {
  const clients = options.clients ?? 50;
  const durationMs = options.durationMs ?? 10_000;
  const path = options.path ?? '/memory-status';
  const dataDir = await mkdtemp(join(tmpdir(), 'status-bench-'));
  const config = parseConfig({ runner: { command: process.execPath, args: [HANG] }, dataDir, run: { timeoutMs: 10 * 60_000 }, status: { port: 0 } }, { cwd: dataDir });
  const logger = createLogger({ level: 'warn' });
  let context: SupervisorContext | undefined;
  // Captures the context so the status plugin can be started later, after the baseline RSS is taken.
  const capture: SupervisorPlugin = { name: 'capture', start: async (c) => void (context = c) };
  const supervisor = new Supervisor({ config, logger, plugins: [capture] });
  await supervisor.start();
  const tick = supervisor.triggerTick();
  let stopStatus: (() => Promise<void>) | undefined;
  try {
    const readyBy = performance.now() + 10_000;
    while (!supervisor.live.current?.pid || supervisor.live.runnerPoints.length < 5) {
      if (performance.now() > readyBy) throw new Error('the hang.mjs runner did not start within 10 s');
      await delay(50);
    }
    const rssBefore = await settledRss();
    // Imported only now, so the module cost (prom-client included) counts as the server's.
    const { createStatusPlugin } = await import('../supervisor/status/status-plugin.ts');
    const plugin = createStatusPlugin({ env: {} });
    if (!context) throw new Error('supervisor context was not captured');
    await plugin.start?.(context);
    stopStatus = () => plugin.stop?.() ?? Promise.resolve();
    const url = `${plugin.address()?.url ?? ''}${path}`;
    const idleFromMs = Date.now();
    const rssIdle = await settledRss();
    const idleGaps = sampleGaps(supervisor.live.runnerPoints, idleFromMs, Date.now());

    const cpuBefore = process.cpuUsage();
    const loadStartedAt = Date.now();
    const load = await loadInChild(url, clients, durationMs);
    const cpu = process.cpuUsage(cpuBefore);
    const gaps = sampleGaps(supervisor.live.runnerPoints, loadStartedAt, Date.now());
    const rssAfterLoad = await settledRss();

    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    const figures = {
      path,
      clients,
      durationS: round(load.durationMs / 1000),
      requests: load.requests,
      errors: load.errors,
      requestsPerS: round(load.requests / (load.durationMs / 1000), 0),
      latencyMs: { p50: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? NaN) },
      supervisorCpuPercentOfOneCore: round(((cpu.user + cpu.system) / 1000 / load.durationMs) * 100, 1),
      rssMb: { withoutServer: round(rssBefore / MB, 1), serverIdle: round(rssIdle / MB, 1), afterLoad: round(rssAfterLoad / MB, 1) },
      extraRssMb: { idle: round((rssIdle - rssBefore) / MB, 1), afterLoad: round((rssAfterLoad - rssBefore) / MB, 1) },
      runnerSampleGapMs: {
        idle: { samples: idleGaps.length + 1, p50: round(percentile(idleGaps, 50)), p99: round(percentile(idleGaps, 99)), max: round(idleGaps.at(-1) ?? NaN) },
        duringLoad: { samples: gaps.length + 1, p50: round(percentile(gaps, 50)), p99: round(percentile(gaps, 99)), max: round(gaps.at(-1) ?? NaN) },
      },
      gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    await stopStatus?.();
    await supervisor.stop();
    await tick;
    await closeLogger(logger);
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--load') {
    const [url, clients, durationMs] = process.argv.slice(3);
    process.stdout.write(JSON.stringify(await runLoad(url ?? '', Number(clients), Number(durationMs))));
  } else {
    await benchStatus(process.argv[2] ? { path: process.argv[2] } : {});
  }
}
