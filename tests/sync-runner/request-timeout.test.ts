// A REDCap that accepts a request and never answers, or sends headers and then one byte every 50 ms forever: each
// attempt is cut at request_timeout_ms and the run fails with REDCAP_UNREACHABLE. The runner is the real one, in a
// child with a full garbage collection every 50 ms, the condition under which the old AbortSignal.timeout() /
// AbortSignal.any() signal was collected in the field and the request hung for good.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../../shared/protocol.ts';
import type { LoggedRequest } from '../fixtures/redcap-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { startRunner, type RunnerRun } from '../helpers/runner-process.ts';
import { redcapConfig } from '../helpers/runner-workspace.ts';

const TIMEOUT_MS = 600;
/** The bound: an attempt ends within the timeout plus one second, measured on the server. */
const ATTEMPT_LIMIT_MS = TIMEOUT_MS + 1000;
const GC_PRESSURE = new URL('../fixtures/gc-pressure.mjs', import.meta.url);

const redcap = useRedcapSuite(syntheticRecords(12, { seed: 21 }));

/**
 * How long the exchange stayed open, from its arrival at the server to its connection's close. Past the limit the
 * runner is killed (`onLate`), so a request that would hang forever fails the test instead of hanging it.
 */
async function openFor(request: LoggedRequest, onLate: () => void): Promise<number> {
  const late = new AbortController();
  const timer = delay(Math.max(0, request.arrivedAt + ATTEMPT_LIMIT_MS - performance.now()), 'late' as const, { signal: late.signal }).catch(() => 'released' as const);
  const first = await Promise.race([request.closed, timer]);
  late.abort();
  if (first === 'late') {
    onLate();
    return Number.POSITIVE_INFINITY;
  }
  return (first as number) - request.arrivedAt;
}

for (const mode of ['hang', 'drip'] as const) {
  const what = mode === 'hang' ? 'accepts and never answers' : 'sends headers, then a byte every 50 ms forever';
  test(`REDCap ${what}: under GC pressure each attempt ends within timeout + 1 s, and the run fails with REDCAP_UNREACHABLE`, async () => {
    const ws = await redcap.workspace((w) => redcapConfig(w, { batch_size: 5, max_attempts: 2, request_timeout_ms: TIMEOUT_MS }));
    // The version, metadata and id export answer; every record batch stalls.
    redcap.server.fail({ mode, content: 'record', fromRequest: 2 });
    let run: RunnerRun | undefined;
    const attempts: Promise<number>[] = [];
    const stopObserving = redcap.server.observe((request) => {
      if (request.content === 'record' && request.records > 0) attempts.push(openFor(request, () => run?.child.kill('SIGKILL')));
    });
    try {
      run = startRunner({
        cwd: ws.dir,
        args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir],
        env: { ...redcap.env(), NODE_OPTIONS: `--expose-gc --import=${GC_PRESSURE.href}` },
      });
      const { code, signal } = await run.exited;
      const durations = await Promise.all(attempts);
      assert.match(run.stderr(), /gc-pressure: a full garbage collection every 50 ms/, 'the runner ran under GC pressure');
      assert.equal(durations.length, 2, `two attempts at the first batch, each cut (durations ${durations.map(Math.round).join(', ')} ms; runner ${signal ?? code})`);
      for (const [i, ms] of durations.entries()) assert.ok(ms < ATTEMPT_LIMIT_MS, `attempt ${i + 1} stayed open ${Math.round(ms)} ms, past ${ATTEMPT_LIMIT_MS} ms`);
      assert.equal(code, 44, run.stderr());
      const result = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
      assert.equal(result?.error?.code, 'REDCAP_UNREACHABLE');
      assert.match(result?.error?.message ?? '', new RegExp(`batch 1 of 3.*no complete answer within ${TIMEOUT_MS} ms \\(gave up after 2 attempts\\)`));
    } finally {
      stopObserving();
      redcap.server.fail(undefined);
      if (run?.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    }
  });
}
