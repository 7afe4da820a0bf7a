// Hardening figure: does /healthz still answer, and how fast, while 1,000 idle TCP connections are held against the
// status server (its connection budget drops the longest idle for a newcomer)? Compared with the same probes with no
// flood. An in-process supervisor with a live runner, so sampling goes on as in production; the flood is a child.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { closeLogger, createLogger } from '../../shared/logger.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import { createStatusPlugin } from '../../supervisor/status/status-plugin.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { median, percentile, round } from '../lib/stats.ts';
import { timedGet, type TimedAnswer } from '../lib/timed-get.ts';

const HANG = fileURLToPath(new URL('../../tests/fixtures/hang.mjs', import.meta.url));
const HOLD_CONNECTIONS = fileURLToPath(new URL('./hold-connections.mjs', import.meta.url));
const PROBE_TIMEOUT_MS = 2000;
/** Probes answered before measuring, so the first quiet round does not pay for lazy module and JIT work alone. */
const WARM_UP_PROBES = 5;

/** `count` sequential GET /healthz, each on a fresh connection, as a liveness probe makes them. */
async function probeSeries(base: string, count: number): Promise<TimedAnswer[]> {
  const answers: TimedAnswer[] = [];
  for (let i = 0; i < count; i++) answers.push(await timedGet(`${base}/healthz`, { agent: false, timeoutMs: PROBE_TIMEOUT_MS }));
  return answers;
}

/** Starts the flood child and resolves once its connections are held; `openNow()` asks how many are still open. */
async function holdFlood(base: string, connections: number) {
  const { hostname, port } = new URL(base);
  const child = spawn(process.execPath, [HOLD_CONNECTIONS, hostname, port, String(connections)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  child.stdin.on('error', () => undefined); // a child that died early is reported below, not as an EPIPE crash
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => String((await lines.next()).value ?? '');
  const release = async (): Promise<void> => {
    child.stdin.end();
    const deadline = new AbortController();
    // It exits once its sockets are destroyed; past a few seconds something is wrong, and it must not outlive us.
    const late = delay(5000, 'late', { signal: deadline.signal }).catch(() => 'released');
    if ((await Promise.race([exited, late])) === 'late') child.kill('SIGKILL');
    deadline.abort();
    await exited;
  };
  const held = /^HELD opened=(\d+)/.exec(await nextLine());
  if (!held) {
    await release();
    throw new Error('the flood child did not report its connections');
  }
  const openNow = async (): Promise<number> => {
    child.stdin.write('count\n');
    return Number(/^OPEN (\d+)/.exec(await nextLine())?.[1] ?? Number.NaN);
  };
  return { opened: Number(held[1]), openNow, release };
}

/** This process's soft RLIMIT_NOFILE: the flood's fds are the child's, but the server's accepted sockets are ours. */
function openFilesLimit(): number {
  const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return Number(line?.[1] ?? Number.NaN);
}

const latency = (answers: readonly TimedAnswer[]) => {
  const ms = answers.filter((a) => a.ok).map((a) => a.ms);
  return { p50: round(median(ms), 2), p99: round(percentile(ms, 99), 2), max: round(Math.max(...ms), 2) };
};

export async function benchStatusFlood(options: { rounds?: number; probes?: number; connections?: number } = {}) {
  const { rounds = 5, probes = 50, connections = 1000 } = options;
  const dataDir = await mkdtemp(join(tmpdir(), 'sync-supervisor-bench-flood-'));
  const config = parseConfig({ runner: { command: process.execPath, args: [HANG] }, dataDir, run: { timeoutMs: 10 * 60_000 }, status: { port: 0 } }, { cwd: dataDir });
  const logger = createLogger({ level: 'error' });
  const plugin = createStatusPlugin({ env: {} });
  const supervisor = new Supervisor({ config, logger, plugins: [plugin] });
  let tick: Promise<unknown> | undefined;
  try {
    await supervisor.start();
    tick = supervisor.triggerTick();
    const base = plugin.address()?.url;
    if (!base) throw new Error('the status server did not start');
    // Probed while the supervisor samples a live runner, as it does in production.
    const runnerBy = performance.now() + 10_000;
    while (!supervisor.live.current?.pid) {
      if (performance.now() > runnerBy) throw new Error('the hang.mjs runner did not start within 10 s');
      await delay(50);
    }
    await probeSeries(base, WARM_UP_PROBES);
    const quiet: TimedAnswer[] = [];
    const flooded: TimedAnswer[] = [];
    const floodOpen: { opened: number; atFirstProbe: number; atLastProbe: number }[] = [];
    for (let pass = 0; pass < rounds; pass++) {
      quiet.push(...(await probeSeries(base, probes)));
      const flood = await holdFlood(base, connections);
      try {
        const atFirstProbe = await flood.openNow();
        flooded.push(...(await probeSeries(base, probes)));
        floodOpen.push({ opened: flood.opened, atFirstProbe, atLastProbe: await flood.openNow() });
      } finally {
        await flood.release();
      }
    }
    const quietLatency = latency(quiet);
    const floodLatency = latency(flooded);
    const result = {
      rounds,
      probesPerRound: probes,
      floodConnections: connections,
      openFilesLimit: openFilesLimit(),
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      /** Of the flood's connections: how many connected, and how many the server still held around the probes. */
      floodHeldMedian: { connected: median(floodOpen.map((f) => f.opened)), atFirstProbe: median(floodOpen.map((f) => f.atFirstProbe)), atLastProbe: median(floodOpen.map((f) => f.atLastProbe)) },
      quiet: { ok: quiet.filter((a) => a.ok).length, of: quiet.length, latencyMs: quietLatency },
      flood: { ok: flooded.filter((a) => a.ok).length, of: flooded.length, latencyMs: floodLatency },
      ratioFloodToQuiet: { p50: round(floodLatency.p50 / quietLatency.p50, 2), p99: round(floodLatency.p99 / quietLatency.p99, 2) },
      supervisorStateAfter: supervisor.state,
    };
    console.log('status flood:', JSON.stringify(result));
    return result;
  } finally {
    await supervisor.stop();
    await tick;
    await closeLogger(logger);
    await rm(dataDir, { recursive: true, force: true });
  }
}
