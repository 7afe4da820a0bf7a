// Hardening figure: how far past request_timeout_ms a REDCap request that never ends stays open, in the real runner
// under a full GC every 50 ms (the condition in which the old AbortSignal.timeout() was collected and never fired).
// Measured on the stand-in server: each attempt's arrival to its connection's close, minus the timeout.
import { setTimeout as delay } from 'node:timers/promises';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../../shared/protocol.ts';
import { startRedcapServer, type LoggedRequest, type RedcapStandIn } from '../../tests/fixtures/redcap-server.ts';
import { startRunner } from '../../tests/helpers/runner-process.ts';
import { makeWorkspace, redcapConfig, TEST_TOKEN } from '../../tests/helpers/runner-workspace.ts';
import { median, round } from '../lib/stats.ts';

const TIMEOUT_MS = 1000;
const MAX_ATTEMPTS = 2;
/** A run past this is killed by the bench, so a request that never ends shows as a huge overshoot, not a hang. */
const RUN_DEADLINE_MS = 60_000;
const GC_PRESSURE = new URL('../../tests/fixtures/gc-pressure.mjs', import.meta.url).href;

type StallMode = 'hang' | 'drip';

interface DeadlineRun {
  readonly openMs: number[];
  readonly wallMs: number;
  /** From the first record batch reaching the server to the runner's exit: the part the deadline governs. */
  readonly batchesToExitMs: number;
  readonly failedAsExpected: boolean;
  readonly underGcPressure: boolean;
}

async function runOnce(server: RedcapStandIn, mode: StallMode): Promise<DeadlineRun> {
  const ws = await makeWorkspace();
  const watchdog = new AbortController();
  const batches: LoggedRequest[] = [];
  // The version, metadata and id export answer; every record batch stalls.
  server.fail({ mode, content: 'record', fromRequest: 2 });
  const stopObserving = server.observe((request) => {
    if (request.content === 'record' && request.records > 0) batches.push(request);
  });
  try {
    await ws.writeConfig(redcapConfig(ws, { batch_size: 5, max_attempts: MAX_ATTEMPTS, request_timeout_ms: TIMEOUT_MS }));
    const spawnedAt = performance.now();
    const run = startRunner({
      cwd: ws.dir,
      args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir],
      env: { REDCAP_API_URL: server.url, REDCAP_API_TOKEN: TEST_TOKEN, NODE_OPTIONS: `--expose-gc --import=${GC_PRESSURE}` },
    });
    void delay(RUN_DEADLINE_MS, undefined, { signal: watchdog.signal }).then(() => run.child.kill('SIGKILL'), () => undefined);
    const { code } = await run.exited;
    const exitedAt = performance.now();
    // The runner is gone, so every connection it held is closed and each `closed` settles.
    const openMs = await Promise.all(batches.map(async (request) => (await request.closed) - request.arrivedAt));
    const result = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
    return {
      openMs,
      wallMs: exitedAt - spawnedAt,
      batchesToExitMs: exitedAt - (batches[0]?.arrivedAt ?? Number.NaN),
      failedAsExpected: code === 44 && result?.error?.code === 'REDCAP_UNREACHABLE',
      underGcPressure: /gc-pressure: a full garbage collection every 50 ms/.test(run.stderr()),
    };
  } finally {
    watchdog.abort();
    stopObserving();
    server.fail(undefined);
    await ws.cleanup();
  }
}

function summarise(runs: readonly DeadlineRun[]) {
  const overshoot = runs.flatMap((r) => r.openMs.map((ms) => ms - TIMEOUT_MS));
  return {
    runs: runs.length,
    attempts: overshoot.length,
    attemptsExpected: runs.length * MAX_ATTEMPTS,
    overshootMs: { p50: round(median(overshoot)), max: round(Math.max(...overshoot)) },
    runnerWallMs: { p50: round(median(runs.map((r) => r.wallMs)), 0), max: round(Math.max(...runs.map((r) => r.wallMs)), 0) },
    firstBatchToExitMs: { p50: round(median(runs.map((r) => r.batchesToExitMs)), 0), timeoutsSumMs: MAX_ATTEMPTS * TIMEOUT_MS },
    failedWithRedcapUnreachable: runs.filter((r) => r.failedAsExpected).length,
    ranUnderGcPressure: runs.filter((r) => r.underGcPressure).length,
  };
}

export async function benchRequestDeadline(runsPerMode = 5) {
  const server = await startRedcapServer({ token: TEST_TOKEN, records: syntheticRecords(12, { seed: 21 }) });
  try {
    const out: Record<string, unknown> = { timeoutMs: TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS };
    for (const mode of ['hang', 'drip'] as const) {
      const runs: DeadlineRun[] = [];
      for (let i = 0; i < runsPerMode; i++) runs.push(await runOnce(server, mode));
      out[mode] = summarise(runs);
      console.log(`request deadline, REDCap ${mode}:`, JSON.stringify(out[mode]));
    }
    return out;
  } finally {
    await server.close();
  }
}
