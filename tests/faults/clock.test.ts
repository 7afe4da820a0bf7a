// Fault: the wall clock jumps (NTP correction, a VM resumed, DST done wrong) backwards or forwards around a tick.
//
// A test cannot move the system clock, so we test the two places where wall time could decide anything:
// 1. The interval scheduler plans on the monotonic clock only (`planNextTick` takes `performance.now()` values):
//    tests/supervisor/schedule/schedule.test.ts drives the pure function with monotonic instants.
// 2. The Supervisor takes an injected `now`: we jump it back an hour and forward a day between real ticks and show
//    that every slot still produces exactly one tick, spaced by `everyMs` on the monotonic clock (no duplicate after
//    the backward jump, no burst or gap after the forward one), and every tick gets exactly one history row.
// 3. The runner's watermark is wall time too (`runSync` takes an injected `now`): a sync run while the clock was a
//    day ahead must not leave a watermark in the future that hides later changes once the clock is put right.
// Cron schedules (node-cron) follow the wall clock by definition and are not covered here.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { closeLogger } from '../../shared/logger.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import { createScheduler, type SchedulerFactory } from '../../supervisor/schedule/schedule.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { runSync } from '../../sync-runner/run/run-sync.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { startRedcapServer } from '../fixtures/redcap-server.ts';
import { dumpWorklist, makeWorkspace, TEST_TOKEN } from '../helpers/runner-workspace.ts';
import { capturedLogger, fixture, readHistory } from '../helpers/harness.ts';
import { apiConfig, assertIntegrity, assertNoDuplicates } from './fault-kit.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('Supervisor with an injected clock jumping back 1 h and forward 1 day: one tick per slot, one row per tick', { timeout: 30_000 }, async () => {
  const everyMs = 300;
  const dataDir = await mkdtemp(join(tmpdir(), 'sync-supervisor-clock-'));
  after(() => rm(dataDir, { recursive: true, force: true }));
  const config = parseConfig({ schedule: { everyMs }, runOnStart: false, runner: { command: process.execPath, args: [fixture('ok-runner.mjs')] }, dataDir }, { cwd: dataDir });
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const { logger } = capturedLogger();
  const ticksMono: number[] = [];
  const outcomes: Array<Promise<unknown>> = [];
  const TICKS = 8;
  let allTicked: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allTicked = resolve));
  // The supervisor's own scheduler, with each slot seen on its way to the supervisor's tick: when it fired on the
  // monotonic clock, and where the wall clock jumps.
  const watchedSlots: SchedulerFactory = (schedule, timezone, tick, deps) => createScheduler(schedule, timezone, () => {
    // The test asked for TICKS ticks: a later slot that fires before stop() lands is not handed to the supervisor,
    // so no run can be cut short by the stop.
    if (ticksMono.length === TICKS) return undefined;
    ticksMono.push(performance.now());
    const n = ticksMono.length;
    if (n === 3) offset = -HOUR; // the clock steps back an hour just before tick 3
    if (n === 6) offset = DAY; // and a day forward just before tick 6
    const outcome = Promise.resolve(tick());
    outcomes.push(outcome);
    // An eighth tick recorded as an overlap resolves at once; the stop must also wait for the seventh run it overlapped.
    if (n === TICKS) void Promise.all(outcomes).then(() => allTicked());
    return outcome;
  }, deps);
  const supervisor = new Supervisor({ config, logger, now, scheduler: watchedSlots });
  await supervisor.start();
  const scheduledAt = performance.now();
  supervisor.startSchedule();
  await done;
  await supervisor.stop();
  await closeLogger(logger);

  // Every firing falls in a slot of its own on the monotonic grid (an early wake of up to 15 ms counts as its
  // slot): the backward jump caused no repeat, the forward one no burst. A busy loop may skip a slot, never double one.
  const slots = ticksMono.map((t) => Math.floor((t - scheduledAt + 15) / everyMs));
  assert.ok(slots.every((slot, i) => i === 0 || slot > (slots[i - 1] ?? slot)), `one firing per slot; slots ${slots.join(' ')}`);
  const { runs } = await readHistory(dataDir);
  assert.equal(runs.length, ticksMono.length, 'one row per tick: none duplicated, none dropped');
  assert.deepEqual(runs.filter((r) => r.status !== 'ok' && r.status !== 'skipped'), [], 'every tick ran or was recorded as an overlap');
  const tickAt = runs.map((r) => r.tick_at_ms);
  assert.ok((tickAt[2] ?? 0) < (tickAt[1] ?? 0) - HOUR / 2, 'the backward jump really reached the supervisor');
  assert.ok((tickAt[5] ?? 0) > (tickAt[4] ?? 0) + DAY / 2, 'the forward jump really reached the supervisor');
  await assertIntegrity(join(dataDir, 'history.db'), 'history after the jumps');
});

test('runner watermark: a sync while the clock was a day ahead does not hide later changes once the clock is right', async () => {
  const server = await startRedcapServer({ token: TEST_TOKEN, records: syntheticRecords(30, { seed: 61 }) });
  const ws = await makeWorkspace();
  after(async () => {
    await server.close();
    await ws.cleanup();
  });
  await ws.writeConfig(apiConfig(ws, { batch_size: 10 }));
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  const syncAt = async (at: number) => {
    const outcome = await runSync({
      pylantirConfig: ws.configPath, dataDir: ws.dataDir, cwd: ws.dir, signal: new AbortController().signal,
      credentials: () => ({ url: server.url, token: TEST_TOKEN }), log: quiet, progress: () => undefined, now: () => new Date(at),
    });
    assert.equal(outcome.exitCode, 0, JSON.stringify(outcome.sources));
  };
  const t0 = Date.now() - 2 * HOUR;
  await syncAt(t0); // a normal full sync
  await syncAt(t0 + 10 * 60_000 + DAY); // the clock is a day ahead during this one
  // REDCap's own clock is right: record 5 gets a new scan date 20 minutes in.
  server.upsertRecords(syntheticRecords(1, { seed: 61, firstRecord: 5, baseDate: '2034-03-03' }), formatRedcapDateTime(new Date(t0 + 20 * 60_000)));
  await syncAt(t0 + 30 * 60_000); // the clock has been put right
  await syncAt(t0 + 40 * 60_000);
  const rows = await dumpWorklist(ws.dbPath);
  await assertIntegrity(ws.dbPath, 'worklist');
  await assertNoDuplicates(ws.dbPath);
  const record5 = rows.filter((r) => String(r.patient_id).startsWith('sub_00005_'));
  assert.ok(record5.length > 0);
  for (const row of record5) assert.match(String(row.scheduled_start_date), /^2034-/, 'the change made while the watermark was in the future reached the worklist');
});
