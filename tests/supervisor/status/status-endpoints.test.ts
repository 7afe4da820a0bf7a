import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemoryStatus } from '../../../supervisor/status/memory-status.ts';
import type { LivePoints } from '../../../supervisor/status/live-points.ts';
import { MB } from '../../helpers/harness.ts';
import { parsePromText, sampleValue } from '../../helpers/prom-text.ts';
import { getJson, http, startWithStatus } from '../../helpers/status-server.ts';
import type { TrendStats } from '../../../supervisor/vocabulary/trend-stats.ts';

/** A trend series as the monitor reports it, with the figures /metrics reads set and the rest plausible. */
const trendStats = (growthMbPerHour: number, slopePoints: number, slopeSpanMs: number): TrendStats => ({
  points: slopePoints, spanMs: slopeSpanMs, firstAtMs: 0, lastAtMs: slopeSpanMs, currentMb: 100, avgMb: 100, minMb: 100, maxMb: 100,
  growthMbPerHour, slopePoints, slopeSpanMs, cutPoints: 0, growthStdErrMbPerHour: null, hoursToEmergency: null,
});

test('GET /memory-status while a runner is alive: supervisor, current run, thresholds, schedule', async () => {
  // warnMb 1 makes the first sample log a warning: the handshake that a sample has reached LiveState.
  const beforeStart = Date.now();
  const h = await startWithStatus('hang.mjs', [], { memory: { warnMb: 1, emergencyMb: 1000, sampleIntervalMs: 50 }, run: { timeoutMs: 60_000 } });
  const afterStart = Date.now();
  const tick = h.supervisor.triggerTick();
  const ready = await h.waitFor(/READY pid=\d+/);
  await h.waitFor(/runner memory high: tree RSS/);
  const requestedAt = Date.now();
  const { status, json } = await getJson<MemoryStatus>(`${h.base}/memory-status`);
  const answeredAt = Date.now();
  assert.equal(status, 200);
  assert.equal(json.supervisor.pid, process.pid);
  assert.ok(json.supervisor.rssBytes > 10 * MB && json.supervisor.heapUsedBytes > 0 && json.supervisor.heapTotalBytes >= json.supervisor.heapUsedBytes);
  // Uptime is the answer's own time less the supervisor's start, both on the supervisor's clock (Date.now here), and
  // each lies between the test's readings around it: a wrong origin or a stale answer fails.
  const { startedAtMs, uptimeMs } = json.supervisor;
  assert.ok(startedAtMs >= beforeStart && startedAtMs <= afterStart, `started at ${startedAtMs}, not within the start() call [${beforeStart}, ${afterStart}]`);
  assert.ok(json.generatedAtMs >= requestedAt && json.generatedAtMs <= answeredAt, `generated at ${json.generatedAtMs}, not within the request [${requestedAt}, ${answeredAt}]`);
  assert.equal(uptimeMs, json.generatedAtMs - startedAtMs);
  assert.ok(uptimeMs >= requestedAt - afterStart, `uptime ${uptimeMs} ms is shorter than the test has seen the supervisor up`);
  const run = json.currentRun;
  assert.ok(run, 'a run is in progress');
  assert.equal(run.runId, 1);
  assert.equal(run.attempt, 1);
  assert.equal(run.pid, Number(/READY pid=(\d+)/.exec(ready)?.[1]));
  assert.ok(run.treeRssBytes > 1 * MB, `tree RSS ${run.treeRssBytes}`);
  assert.equal(run.pidCount, 1);
  assert.ok(run.startedAtMs >= startedAtMs && run.startedAtMs <= requestedAt, `run started at ${run.startedAtMs}, not between the supervisor's start and the request`);
  assert.equal(run.elapsedMs, json.generatedAtMs - run.startedAtMs);
  assert.ok(run.peakRssBytes >= run.treeRssBytes);
  assert.deepEqual(json.thresholds, { warnMb: 1, emergencyMb: 1000, hardLimitMb: 1500, graceMs: 3000, sampleIntervalMs: 50 });
  assert.equal(json.recentRuns.length, 1);
  assert.deepEqual({ ...json.recentRuns[0], startedAtMs: 0 }, {
    id: 1, attempt: 1, startedAtMs: 0, durationMs: null, status: 'running', reason: null, exitCode: null, signal: null, peakRssBytes: null, forceKilled: false, stragglersKilled: 0, failure: null,
  });
  assert.equal(json.trend, null, 'no trend source wired');
  assert.deepEqual(json.alerts.open, { warning: 0, critical: 0 });
  assert.equal(json.schedule.running, false);
  assert.equal(json.schedule.nextTickAtMs, null);
  assert.ok(json.schedule.lastTickAtMs !== null);
  assert.equal(json.schedule.lastOkAtMs, null);

  const points = await getJson<LivePoints>(`${h.base}/live-points`);
  assert.equal(points.status, 200);
  assert.equal(points.json.currentRunId, 1);
  assert.ok(points.json.runner.length >= 1 && points.json.supervisor.length >= 1);
  assert.ok(points.json.runner.every(([at, rss]) => at > 0 && rss > 0));
  await h.stop();
  assert.equal((await tick).status, 'interrupted');
});

test('after a memory kill: /memory-status lists it, /metrics counts it, and the text parses', async () => {
  const trend = { runner: trendStats(12.5, 10, 3_600_000), supervisor: trendStats(-0.25, 60, 3_600_000) };
  const h = await startWithStatus('leak.mjs', ['100'], { memory: { warnMb: 90, emergencyMb: 150, graceMs: 1000 }, restart: { maxAttempts: 1 } }, { trend: () => trend });
  const outcome = await h.supervisor.triggerTick();
  assert.equal(outcome.status, 'killed');

  const { json } = await getJson<MemoryStatus>(`${h.base}/memory-status`);
  assert.equal(json.currentRun, null);
  const [run] = json.recentRuns;
  assert.equal(run?.status, 'killed');
  assert.equal(run?.reason, 'memory');
  assert.ok(run.peakRssBytes !== null && run.peakRssBytes >= 150 * MB);
  assert.ok(run.durationMs !== null && run.durationMs > 0);
  assert.deepEqual(json.trend, trend);
  assert.ok(json.alerts.last24h.critical >= 2, 'memory-emergency and attempts-exhausted');
  assert.ok(json.alerts.last24h.warning >= 1, 'memory-warn');
  assert.deepEqual(json.counters, { runsByStatus: { killed: 1 }, killsByReason: { memory: 1 } });

  const answer = await http(`${h.base}/metrics`);
  assert.equal(answer.status, 200);
  assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const prom = parsePromText(answer.body);
  const p = 'sync_supervisor_';
  for (const [name, type] of [
    ['runner_tree_rss_bytes', 'gauge'], ['runner_process_count', 'gauge'], ['supervisor_rss_bytes', 'gauge'],
    ['last_successful_sync_timestamp_seconds', 'gauge'], ['memory_growth_mb_per_hour', 'gauge'], ['alerts_open', 'gauge'],
    ['runs_total', 'counter'], ['kills_total', 'counter'],
  ]) assert.equal(prom.types.get(`${p}${name}`), type, name);
  assert.equal(sampleValue(prom, `${p}runs_total`, { status: 'killed' }), 1);
  assert.equal(sampleValue(prom, `${p}runs_total`, { status: 'ok' }), 0);
  assert.equal(sampleValue(prom, `${p}kills_total`, { reason: 'memory' }), 1);
  assert.equal(sampleValue(prom, `${p}kills_total`, { reason: 'timeout' }), 0);
  assert.equal(sampleValue(prom, `${p}runner_tree_rss_bytes`), 0, 'no run alive');
  assert.ok((sampleValue(prom, `${p}supervisor_rss_bytes`) ?? 0) > 10 * MB);
  assert.equal(sampleValue(prom, `${p}last_successful_sync_timestamp_seconds`), 0, 'never an ok run');
  assert.equal(sampleValue(prom, `${p}memory_growth_mb_per_hour`, { source: 'runner' }), 12.5);
  assert.equal(sampleValue(prom, `${p}memory_growth_mb_per_hour`, { source: 'supervisor' }), -0.25);
  assert.equal(sampleValue(prom, `${p}alerts_open`, { level: 'critical' }), 0);
  assert.ok(prom.samples.every((s) => s.name.startsWith(p)), 'a private registry: no default or foreign metrics');
});

test('an ok run sets last_successful_sync and lastOkAtMs, and HEAD answers without a body', async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  assert.equal((await h.supervisor.triggerTick()).status, 'ok');
  const { json } = await getJson<MemoryStatus>(`${h.base}/memory-status`);
  assert.ok(json.schedule.lastOkAtMs !== null && json.schedule.lastOkAtMs <= Date.now());
  const prom = parsePromText((await http(`${h.base}/metrics`)).body);
  assert.equal(sampleValue(prom, 'sync_supervisor_last_successful_sync_timestamp_seconds'), json.schedule.lastOkAtMs / 1000);
  assert.equal(sampleValue(prom, 'sync_supervisor_runs_total', { status: 'ok' }), 1);
  const head = await http(`${h.base}/memory-status`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.ok(Number(head.headers['content-length']) > 100, `HEAD content-length ${head.headers['content-length']}`);
});

test('50 concurrent clients all get an answer', async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  const answers = await Promise.all(Array.from({ length: 50 }, () => http(`${h.base}/memory-status`)));
  assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
  assert.equal(new Set(answers.map((a) => (JSON.parse(a.body) as MemoryStatus).recentRuns.length)).size, 1);
});

test('a tick skipped for overlap does not hide the run that is still going (LiveState regression)', async () => {
  const h = await startWithStatus('hang.mjs', [], { schedule: { everyMs: 200 }, memory: { warnMb: 1, emergencyMb: 1000 }, run: { timeoutMs: 60_000 } });
  h.supervisor.startSchedule();
  await h.waitFor(/runner memory high: tree RSS/);
  await h.waitFor(/tick skipped: the previous run is still going/);
  const { json } = await getJson<MemoryStatus>(`${h.base}/memory-status`);
  assert.equal(json.currentRun?.runId, 1);
  assert.ok(json.recentRuns.some((r) => r.status === 'skipped' && r.reason === 'overlap'), `the logged skip is in the history: ${JSON.stringify(json.recentRuns)}`);
  const points = await getJson<LivePoints>(`${h.base}/live-points`);
  assert.ok(points.json.runner.length > 0 && points.json.runner.every(([, , runId]) => runId === 1), 'every sample is tagged with its run');
  const prom = parsePromText((await http(`${h.base}/metrics`)).body);
  assert.ok((sampleValue(prom, 'sync_supervisor_runner_tree_rss_bytes') ?? 0) > 1 * MB);
});
