import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../helpers/history-cli-harness.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { SEED_START_MS, seedLeakyDay } from '../../helpers/history-seed.ts';

let fx: HistoryFixture;
let nowMs: number;
// The fixture's write connection stays open through every test: the CLI reads beside a live writer (WAL).
before(async () => {
  fx = await createHistoryFixture();
  nowMs = await seedLeakyDay(fx);
});
after(async () => {
  await fx.cleanup();
});

const cli = (argv: string[]) => runCli([...argv, '--db', fx.path], { cwd: fx.dir, nowMs });

test('runs: the newest 50 as a table with duration, status, reason, peak, records synced and exit', async () => {
  const { code, stdout, stderr } = await cli(['runs']);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^ id\s+start\s+duration\s+status\s+reason\s+peak MB\s+records synced\s+exit$/);
  assert.equal(lines.length, 2 + 50 + 1);
  assert.match(lines[2] ?? '', /^288\s+2026-01-30 23:55:00 UTC\s+3\.2 s\s+ok\s+-\s+494\.4\s+3\s+0$/);
  assert.match(lines[3] ?? '', /^287\s+2026-01-30 23:50:00 UTC\s+3\.2 s\s+killed\s+memory\s+529\.2\s+-\s+SIGTERM$/);
  assert.equal(lines.at(-1), 'showing the newest 50 of 288; use --limit N or --since to see others');
});

test('runs --help names exactly the columns the table has, in its order', async () => {
  const header = (await cli(['runs'])).stdout.split('\n')[0]?.trim().split(/\s{2,}/);
  const help = (await cli(['runs', '--help'])).stdout;
  const named = /one line each, in these columns: ([^.]+)\./.exec(help)?.[1]?.split(', ');
  assert.deepEqual(named, header);
});

test('runs --status killed --since DATE --limit, and --json', async () => {
  const killed = await cli(['runs', '--status', 'killed', '--limit', '3']);
  assert.equal(killed.stdout.trimEnd().split('\n').filter((l) => /\bkilled\b/.test(l)).length, 3);
  const json = JSON.parse((await cli(['runs', '--status', 'killed', '--since', '2026-01-30T22:00:00Z', '--json'])).stdout);
  assert.ok(json.total >= 5);
  assert.ok(json.runs.every((r: { status: string; startedAtMs: number }) => r.status === 'killed' && r.startedAtMs >= Date.UTC(2026, 0, 30, 22)));
  const hour = JSON.parse((await cli(['runs', '--since', '1h', '--json'])).stdout);
  assert.equal(hour.total, 12);
  assert.deepEqual(Object.keys(hour.runs[0]), ['id', 'startedAtMs', 'endedAtMs', 'durationMs', 'status', 'reason', 'peakMb', 'recordsSynced', 'exitCode', 'signal', 'failure']);
});

test('run <id>: details, the crossings with the limits from its alerts, a sparkline, and how it ended', async () => {
  const { code, stdout } = await cli(['run', '200']);
  assert.equal(code, 0);
  assert.match(stdout, /^run 200: killed \(memory\)\n/);
  assert.match(stdout, /started {7}2026-01-30 16:35:00 UTC\n/);
  assert.match(stdout, /warn line {5}2026-01-30 16:35:02 UTC \(\+2\.0 s\), line 400 MB\n/);
  assert.match(stdout, /emergency {5}2026-01-30 16:35:02 UTC \(\+2\.8 s\), line 500 MB\n/);
  assert.match(stdout, /ended how {5}killed by the supervisor \(memory\), signal SIGTERM\n/);
  assert.match(stdout, /memory {2}[▁▂▃▄▅▆▇█]{30} {2}min 159\.8 {2}avg \d+\.\d {2}max 606\.8 MB \(30 samples\)\n/);
  assert.match(stdout, /alert {3}2026-01-30 16:35:02 UTC critical memory-emergency: runner killed/);
  const ok = await cli(['run', '11']);
  assert.match(ok.stdout, /records {7}2 synced \(inserted \+ updated\)\n {4}source mri: ok, 1 inserted, 1 updated\n/);
  assert.match(ok.stdout, /warn line {5}not crossed \(400 MB\)/);
  const json = JSON.parse((await cli(['run', '200', '--json'])).stdout);
  assert.equal(json.samples.length, 30);
  assert.equal(json.thresholds.emergencyMb, 500);
  assert.equal(json.run.status, 'killed');
});

test('run <id> whose samples were pruned says so and still shows the peak', async () => {
  const id = await fx.insertRun({ startedAtMs: SEED_START_MS - 40 * 86_400_000, peakMb: 210 });
  const { stdout } = await cli(['run', String(id)]);
  assert.match(stdout, /memory {2}no raw samples \(pruned by retention\.samplesDays, or none taken\); peak from the run summary: 210\.0 MB/);
  await fx.db.run('DELETE FROM runs WHERE id = ?', [id]);
});

test('trend: both series from the stored history', async () => {
  const { stdout } = await cli(['trend']);
  assert.match(stdout, /^runner peak RSS per run \(window 100\):\n {2}current 494\.4 MB, avg \d+\.\d, min \d+\.\d, max 668\.0, growth \+\d+\.\d\d MB\/h \(0\.4 h to emergency; 87 points over 8\.3 h; 13 killed run\(s\) left out of the rate/);
  assert.match(stdout, /supervisor's own RSS \(window 100\):\n {2}current 66\.\d MB/);
  const json = JSON.parse((await cli(['trend', '--source', 'supervisor', '--window', '30', '--json'])).stdout);
  assert.equal(json.series.length, 1);
  assert.equal(json.series[0].stats.points, 30);
  assert.ok(Math.abs(json.series[0].stats.growthMbPerHour - 0.6) < 1e-6, 'the seeded supervisor grows 0.01 MB/min');
});

test('alerts --since: the log, newest first as its --help says (and as `runs` lists runs)', async () => {
  const { stdout } = await cli(['alerts', '--since', '30m']);
  const lines = stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^at\s+level\s+kind\s+value\s+run\s+delivery\s+message$/);
  assert.ok(lines.slice(2).every((l) => /^2026-01-30 23:[3-5]\d:\d\d UTC\s+(warning|critical)\s+memory-(warn|emergency)/.test(l)));
  assert.ok(lines.length > 4);
  const times = lines.slice(2).map((l) => l.slice(0, 23));
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  assert.notEqual(times[0], times.at(-1));
  assert.match((await cli(['alerts', '--help'])).stdout, /newest first/);
  const json = JSON.parse((await cli(['alerts', '--since', '30m', '--json'])).stdout);
  assert.ok(json.alerts[0].at_ms > json.alerts.at(-1).at_ms, '--json in the same order');
});

test('alerts: each alert shows its delivery state per sink, and why an undelivered one is stuck', async () => {
  const newest = await fx.db.get<{ id: number }>('SELECT id FROM alerts ORDER BY at_ms DESC, id DESC LIMIT 1');
  const id = newest?.id ?? 0;
  await fx.db.run(
    `INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, attempts, next_attempt_at_ms, last_error, created_at_ms, delivered_at_ms)
     VALUES (?, 'pager', 'k1', 'delivered', 1, 0, NULL, 0, 5), (?, 'mail', 'k2', 'pending', 3, 99, 'request failed: ECONNREFUSED', 0, NULL),
            (?, 'hook', 'k3', 'delivered', 2, 0, NULL, 0, 5), (?, 'slack', 'k4', 'failed', 50, 0, 'HTTP 404', 0, NULL)`,
    [id, id, id, id],
  );
  try {
    const { stdout } = await cli(['alerts', '--since', '30m']);
    // Attempts, said as attempts: "×2" read as "two deliveries".
    assert.match(stdout.trimEnd().split('\n').find((l) => l.includes('mail pending')) ?? '',
      /hook delivered after 2 attempts, mail pending, 3 attempts so far, pager delivered, slack failed after 50 attempts/);
    assert.doesNotMatch(stdout, /×/);
    assert.match(stdout, /undelivered:\n  alert \d+ → mail \(pending\): request failed: ECONNREFUSED/);
    const json = JSON.parse((await cli(['alerts', '--since', '30m', '--json'])).stdout);
    const newestAlert = json.alerts[0];
    assert.deepEqual(newestAlert.deliveries.map((d: { sink: string; state: string }) => `${d.sink}:${d.state}`), ['hook:delivered', 'mail:pending', 'pager:delivered', 'slack:failed']);
  } finally {
    await fx.db.run('DELETE FROM alert_deliveries');
  }
});

test('export: CSV and a streamed JSON array agree with the table, filters apply', async () => {
  const csv = await cli(['export', '--table', 'memory_history', '--format', 'csv', '--run', '200']);
  const rows = csv.stdout.trimEnd().split('\r\n');
  assert.equal(rows[0], 'id,at_ms,source,run_id,rss_bytes,pid_count');
  assert.equal(rows.length, 31);
  assert.ok(rows.slice(1).every((r) => r.split(',')[3] === '200'));
  const json = JSON.parse((await cli(['export', '--table', 'runs', '--format', 'json', '--since', '1h'])).stdout);
  assert.equal(json.length, 12);
  assert.equal(typeof JSON.parse(json[0].result_json ?? '{}'), 'object');
  const jsonl = (await cli(['export', '--table', 'alerts', '--format', 'jsonl'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const count = await fx.db.get<{ n: number }>('SELECT count(*) AS n FROM alerts');
  assert.equal(jsonl.length, count?.n);
  const empty = await cli(['export', '--table', 'alerts', '--format', 'json', '--run', '1']);
  assert.deepEqual(JSON.parse(empty.stdout), []);
});

test('export --out writes the file and reports it; quotes in CSV fields are escaped', async () => {
  const out = join(fx.dir, 'runs.csv');
  const { code, stdout } = await cli(['export', '--table', 'runs', '--format', 'csv', '--out', 'runs.csv', '--run', '10']);
  assert.equal(code, 0);
  assert.equal(stdout, `exported 1 rows of runs as csv to ${out}\n`);
  const [header, row] = readFileSync(out, 'utf8').split('\r\n');
  assert.match(header ?? '', /^id,tick_at_ms,.*,result_json,warn_mb,emergency_mb,hard_limit_mb,grace_ms,timeout_ms$/);
  assert.match(row ?? '', /,"\{""type"":""result"",/);
});

test('plot --out FILE.svg writes a standalone SVG with both series and the threshold lines', async () => {
  const { code, stdout } = await cli(['plot', '--since', '7d', '--out', 'week.svg', '--json']);
  assert.equal(code, 0);
  const summary = JSON.parse(stdout);
  assert.equal(summary.kills, 13);
  assert.equal(summary.restarts, 1);
  const svg = readFileSync(join(fx.dir, 'week.svg'), 'utf8');
  assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /class="threshold threshold-warn" data-mb="400"/);
  assert.match(svg, /class="threshold threshold-emergency" data-mb="500"/);
  assert.match(svg, /class="series series-supervisor" data-points="\d{2,}" d="M/);
  assert.doesNotMatch(svg, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'nothing to fetch');
});

test('a copied file is read like the original (post-mortem of another machine)', async () => {
  await fx.db.get('PRAGMA wal_checkpoint(TRUNCATE)');
  const elsewhere = mkdtempSync(join(tmpdir(), 'history-copy-'));
  try {
    copyFileSync(fx.path, join(elsewhere, 'crashed-host.db'));
    const { code, stdout } = await runCli(['runs', '--limit', '1', '--db', 'crashed-host.db'], { cwd: elsewhere, nowMs });
    assert.equal(code, 0);
    assert.match(stdout, /\n288 /);
  } finally {
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('plot: a restart with its start alert, its self-sample gap and a run it cut short is one restart, the cut run no kill', async () => {
  const own = await createHistoryFixture();
  try {
    const t0 = SEED_START_MS;
    for (let m = 0; m < 60; m++) if (m < 20 || m >= 40) await own.insertSample({ atMs: t0 + m * 60_000, source: 'supervisor', mb: 70 });
    await own.insertRun({ startedAtMs: t0 + 19 * 60_000, durationMs: 30_000, status: 'interrupted', reason: 'shutdown' });
    await own.insertAlert({ atMs: t0 + 40 * 60_000 - 500, level: 'info', kind: 'supervisor-start', message: 'supervisor started (pid 2)' });
    const run = await runCli(['plot', '--since', '2h', '--out', 'own.svg', '--json', '--db', own.path], { cwd: own.dir, nowMs: t0 + 60 * 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.equal(summary.restarts, 1, 'the start alert and the sample gap are the same restart');
    assert.equal(summary.kills, 0, 'a run interrupted by the shutdown is no kill (run-status table: countsAsKill)');
  } finally {
    await own.cleanup();
  }
});

test('plot --since 24h over 35 s of data: the axis fits the data inside the window, with a margin', async () => {
  const own = await createHistoryFixture();
  try {
    const t0 = SEED_START_MS + 3_600_000;
    const id = await own.insertRun({ startedAtMs: t0, durationMs: 35_000, peakMb: 120 });
    for (let k = 0; k <= 35; k++) await own.insertSample({ atMs: t0 + k * 1000, source: 'runner', mb: 60 + k, runId: id });
    // An old sample outside the window stays out of the axis.
    await own.insertSample({ atMs: t0 - 3 * 86_400_000, source: 'supervisor', mb: 70 });
    const nowAt = t0 + 6 * 3_600_000;
    const run = await runCli(['plot', '--since', '24h', '--out', 'short.svg', '--json', '--db', own.path], { cwd: own.dir, nowMs: nowAt });
    assert.equal(run.code, 0, run.stderr);
    const { fromMs, toMs, runnerPoints } = JSON.parse(run.stdout);
    assert.ok(fromMs <= t0 && fromMs >= t0 - 2000, `starts just before the first sample: ${fromMs - t0} ms`);
    assert.ok(toMs >= t0 + 35_000 && toMs <= t0 + 37_000, `ends just after the last sample: ${toMs - t0} ms`);
    assert.equal(runnerPoints, 36, 'one column per sample, not all 36 in one column of a 24-hour axis');
    const empty = await runCli(['plot', '--since', '1h', '--out', 'empty.svg', '--json', '--db', own.path], { cwd: own.dir, nowMs: nowAt });
    assert.deepEqual([JSON.parse(empty.stdout).fromMs, JSON.parse(empty.stdout).toMs], [nowAt - 3_600_000, nowAt], 'no data in the window: the window itself');
  } finally {
    await own.cleanup();
  }
});

test('every time says its zone: UTC as the logs write it, or the TZ given with its offset', async () => {
  const { PassThrough } = await import('node:stream');
  const { runHistoryCli } = await import('../../../supervisor/history-cli/main.ts');
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await runHistoryCli(['run', '200', '--db', fx.path], { stdout, stderr: new PassThrough(), env: { TZ: 'America/Edmonton' }, cwd: fx.dir, now: () => nowMs });
  assert.equal(code, 0);
  assert.match(Buffer.concat(chunks).toString(), /started {7}2026-01-30 09:35:00 UTC-07:00\n/);
  assert.match((await cli(['run', '200'])).stdout, /started {7}2026-01-30 16:35:00 UTC\n/);
});
