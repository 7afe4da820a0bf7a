import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getJson, startWithStatus } from '../../helpers/status-server.ts';

type Health = { ok: boolean; mode?: string; reason?: string; nextTickAtMs?: number | null };

test('/healthz: one-shot is healthy, a running schedule is healthy, an overdue tick is 503, stopping is 503', async () => {
  let skewMs = 0;
  const h = await startWithStatus('ok-runner.mjs', [], { schedule: { everyMs: 60_000 }, runOnStart: false }, { now: () => Date.now() + skewMs });
  const oneShot = await getJson<Health>(`${h.base}/healthz`);
  assert.deepEqual([oneShot.status, oneShot.json], [200, { ok: true, mode: 'one-shot', nextTickAtMs: null }]);

  h.supervisor.startSchedule();
  const scheduled = await getJson<Health>(`${h.base}/healthz`);
  assert.equal(scheduled.status, 200);
  assert.equal(scheduled.json.mode, 'scheduled');
  assert.ok(scheduled.json.nextTickAtMs! > Date.now());

  // The wall clock jumps past the planned tick + 30 s grace, as if the timer had died.
  skewMs = 60_000 + 31_000;
  const overdue = await getJson<Health>(`${h.base}/healthz`);
  assert.equal(overdue.status, 503);
  assert.match(overdue.json.reason ?? '', /^tick overdue by \d+\.\d s/);
  skewMs = 0;
  assert.equal((await getJson<Health>(`${h.base}/healthz`)).status, 200);

  const stopping = h.stop();
  await stopping;
  await assert.rejects(getJson(`${h.base}/healthz`), /ECONNREFUSED/, 'the server is closed once the supervisor stopped');
});
