// The supervisor's second shutdown signal reaches a run as an event of its state machine: a runner that ignores the
// first one's SIGTERM is SIGKILLed at once, not after graceMs; the run keeps the first reason, shutdown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureConfig } from '../../helpers/harness.ts';
import { runWatched, SCHEDULING_ALLOWANCE_MS } from '../../helpers/run-child.ts';

test('a second shutdown signal during the grace period SIGKILLs the runner now; reason shutdown, force killed', { timeout: 60_000 }, async () => {
  const memory = { warnMb: 3000, emergencyMb: 4000, graceMs: 60_000 };
  const config = await fixtureConfig('ignore-sigterm.mjs', [], { memory });
  const stop = new AbortController();
  const escalate = new AbortController();
  let secondAtMs = 0;
  const { report, stops } = await runWatched(config, {
    stop: stop.signal,
    escalate: escalate.signal,
    onLine: (line) => {
      if (line.startsWith('READY')) stop.abort();
      // The runner has shrugged off the first signal's SIGTERM: now the second one.
      if (line === 'SIGTERM ignored' && secondAtMs === 0) {
        secondAtMs = Date.now();
        escalate.abort();
      }
    },
  });
  const endedAt = Date.now();
  assert.deepEqual([report.status, report.reason, report.forceKilled, report.signal], ['interrupted', 'shutdown', true, 'SIGKILL']);
  assert.deepEqual(stops.map((s) => s.reason), ['shutdown'], 'one stop announced');
  // SIGKILL at once: no sample to wait for, only the kill's own work (not the 60 s grace period).
  assert.ok(secondAtMs > 0, 'the runner ignored the first SIGTERM');
  assert.ok(endedAt - secondAtMs <= SCHEDULING_ALLOWANCE_MS, `ended ${endedAt - secondAtMs} ms after the second signal (bound ${SCHEDULING_ALLOWANCE_MS} ms)`);
});
