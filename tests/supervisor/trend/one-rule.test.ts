// One rule for a growth rate, wherever it is shown: /metrics' memory_growth_mb_per_hour and `history trend` both say
// nothing until trend.minPoints over trend.minSpanMs (trend/rate-data.ts). And the supervisor's own growth is a fact of
// one supervisor process: separate processes (restarts, run-once under cron) are never blended into one slope.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../helpers/history-cli-harness.ts';
import { createHistoryFixture } from '../../helpers/history-db.ts';
import { parsePromText, sampleValue } from '../../helpers/prom-text.ts';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';
import { http } from '../../helpers/status-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const GROWTH = 'sync_supervisor_memory_growth_mb_per_hour';

/** Polls until `done` (the trend engine evaluates after a run's log line); the deadline is the assertion. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs: number): Promise<T> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || performance.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** 3 run-once syncs, then a real supervisor with its status server runs a 4th at start; /metrics and `history trend` read then. */
async function afterFourRuns(trend: Record<string, number>): Promise<{ runnerGrowth: number | undefined; cli: string }> {
  const dir = await tempDir();
  // A runner that lives long enough to be sampled (an instant one may end before the first sample: no peak, no point).
  const config = await writeFixtureConfig(dir, 'sampled-runner.mjs', ['400'], { schedule: { everyMs: 3_600_000 }, status: { port: 0 }, trend });
  for (let i = 0; i < 3; i++) {
    const once = runBin(['run-once', '--config', config], { cwd: dir });
    assert.equal((await once.exit).code, 0, once.stderr());
  }
  const supervisor = runBin(['supervise', '--config', config], { cwd: dir });
  try {
    const url = /status server listening on (\S+)/.exec(await supervisor.waitForLog(/status server listening on /))?.[1];
    await supervisor.waitForLog(/run 4 \(attempt 1\) ok/);
    // The handshake: /memory-status shows the trend engine's stats once it has evaluated run 4.
    const status = await until(async () => JSON.parse((await http(`${url}/memory-status`)).body) as { trend: { runner?: { points: number } } | null },
      (s) => s.trend?.runner?.points === 4, 10_000);
    assert.equal(status.trend?.runner?.points, 4);
    const prom = parsePromText((await http(`${url}/metrics`)).body);
    const cli = await runCli(['trend', '--source', 'runner', '--config', config], { cwd: dir });
    assert.equal(cli.code, 0, cli.stderr);
    return { runnerGrowth: sampleValue(prom, GROWTH, { source: 'runner' }), cli: cli.stdout };
  } finally {
    supervisor.child.kill('SIGTERM');
    assert.equal((await supervisor.exit).code, 0);
  }
}

test('4 runs in a few seconds: /metrics has no growth series and `history trend` says not enough data, by the same rule', async () => {
  const { runnerGrowth, cli } = await afterFourRuns({});
  assert.equal(runnerGrowth, undefined, 'absent, as `history trend` refuses a rate from 4 points over a second');
  assert.match(cli, /growth: not enough data: \d+ points over \d+ seconds; need ≥ 10 over ≥ 10 minutes/);
});

test("with the config's trend.minPoints 3 and minSpanMs 0, both show the rate", async () => {
  const { runnerGrowth, cli } = await afterFourRuns({ minPoints: 3, minSpanMs: 0 });
  assert.equal(typeof runnerGrowth, 'number');
  assert.match(cli, /growth [+-]\d+\.\d\d MB\/h/);
  assert.doesNotMatch(cli, /not enough data/);
});

test("the supervisor's trend covers its newest process only, not a blend of processes", async () => {
  const fx = await createHistoryFixture();
  try {
    const t0 = Date.UTC(2026, 0, 30, 8, 0);
    const minute = 60_000;
    // Process A: flat at 50 MB for an hour. Process B, started after it: 80 MB growing 0.01 MB a minute (0.6 MB/h).
    await fx.insertAlert({ atMs: t0, level: 'info', kind: 'supervisor-start', message: 'supervisor started (pid 1)' });
    for (let m = 0; m < 60; m++) await fx.insertSample({ atMs: t0 + m * minute, source: 'supervisor', mb: 50 });
    const bStart = t0 + 70 * minute;
    await fx.insertAlert({ atMs: bStart, level: 'info', kind: 'supervisor-start', message: 'supervisor started (pid 2)' });
    for (let m = 0; m < 40; m++) await fx.insertSample({ atMs: bStart + m * minute, source: 'supervisor', mb: 80 + m * 0.01 });
    const { stdout, code, stderr } = await runCli(['trend', '--source', 'supervisor', '--window', '1000', '--json', '--db', fx.path], { cwd: fx.dir });
    assert.equal(code, 0, stderr);
    const stats = JSON.parse(stdout).series[0].stats;
    assert.equal(stats.points, 40, "process B's samples only");
    assert.equal(stats.firstAtMs, bStart);
    assert.ok(Math.abs(stats.growthMbPerHour - 0.6) < 1e-6, `B's own growth, not the 30 MB step between processes: ${stats.growthMbPerHour}`);
  } finally {
    await fx.cleanup();
  }
});

test('history times are shown in the config\'s timezone, with the offset', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', [], { timezone: 'America/Edmonton' });
  const once = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await once.exit).code, 0, once.stderr());
  // The harness passes TZ=UTC: the config's zone wins, as the supervisor's schedule runs in it.
  const { stdout } = await runCli(['runs', '--config', config], { cwd: dir });
  assert.match(stdout, /^\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC-0[67]:00\s/m);
  const utc = await runCli(['runs', '--db', join(dir, 'data', 'history.db')], { cwd: dir });
  assert.match(utc.stdout, /^\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s/m, 'without --config: TZ, as before');
});
