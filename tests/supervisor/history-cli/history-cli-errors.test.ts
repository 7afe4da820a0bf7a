import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { historyCodes } from '../../../shared/errors/history-codes.ts';
import { Database } from '../../../shared/sqlite.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from '../../../supervisor/history/schema.ts';
import { runCli, type CliResult } from '../../helpers/history-cli-harness.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { fixture } from '../../helpers/harness.ts';
import { runBin } from '../../helpers/spawn-bin.ts';

let dir: string;
let fx: HistoryFixture;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'history-bad-'));
  fx = await createHistoryFixture();
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await fx.cleanup();
});

function assertUserError(result: CliResult, exitCode: number, message: RegExp): void {
  assert.equal(result.code, exitCode, result.stderr);
  assert.match(result.stderr, message);
  assert.match(result.stderr, /→ /, 'a next step is given');
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(result.stdout, '');
}

test('a missing file exits 20 and names the path', async () => {
  assertUserError(await runCli(['runs', '--db', 'nowhere/history.db'], { cwd: dir }), 20, /history database .*nowhere\/history\.db does not exist/);
});

test('the default path is ./data/history.db, and --data-dir DIR means DIR/history.db', async () => {
  assertUserError(await runCli(['runs'], { cwd: dir }), 20, new RegExp(`${dir}/data/history\\.db does not exist`));
  assertUserError(await runCli(['runs', '--data-dir', '/srv/sync'], { cwd: dir }), 20, /\/srv\/sync\/history\.db does not exist/);
});

test('a garbage file, an empty file and a directory exit 21', async () => {
  writeFileSync(join(dir, 'garbage.db'), 'this is not sqlite at all, just some text that is long enough '.repeat(100));
  assertUserError(await runCli(['runs', '--db', 'garbage.db'], { cwd: dir }), 21, /garbage\.db is not a sync-supervisor history database: .*not a database/);
  writeFileSync(join(dir, 'empty.db'), '');
  assertUserError(await runCli(['runs', '--db', 'empty.db'], { cwd: dir }), 21, /application_id is 0/);
  mkdirSync(join(dir, 'folder.db'));
  assertUserError(await runCli(['runs', '--db', 'folder.db'], { cwd: dir }), 21, /it is a directory/);
});

test('a history.db locked by another process exits 25, naming the holder\'s pid and the way round it', async () => {
  const locked = join(dir, 'locked.db');
  // A history in rollback-journal mode (a copy made with the sqlite3 shell, say): a writer's EXCLUSIVE lock shuts
  // readers out too, as a WAL file never does.
  const created = await openHistoryForWrite(locked);
  await created.exec("PRAGMA journal_mode = DELETE; INSERT INTO alerts (at_ms, level, kind, message) VALUES (1, 'info', 'supervisor-start', 'x')");
  await created.close();
  const holder = spawn(process.execPath, [fixture('history-exclusive-holder.mjs'), locked], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(createInterface({ input: holder.stdout }), 'line')) as [string];
    const pid = /^LOCKED pid=(\d+)$/.exec(line)?.[1];
    assert.ok(pid, line);
    const run = runBin(['history', 'runs', '--db', locked], { cwd: dir });
    const { code } = await run.exit;
    assertUserError({ code: code ?? -1, stdout: run.stdout(), stderr: run.stderr() }, 25, new RegExp(`locked\\.db is locked by another process \\(pid ${pid} has it open\\)`));
    assert.match(run.stderr(), /→ Retry when the other process is done, or read a copy/);
    assert.doesNotMatch(run.stderr(), /not a sync-supervisor history/);
  } finally {
    holder.stdin.end();
    await once(holder, 'close');
  }
});

test('our application_id and no tables yet: an empty history, not a bug', async () => {
  const blank = await Database.open(join(dir, 'blank.db'));
  await blank.exec(`PRAGMA application_id = ${HISTORY_APPLICATION_ID};`);
  await blank.close();
  const runs = await runCli(['runs', '--db', 'blank.db'], { cwd: dir });
  assert.equal(runs.code, 0, runs.stderr);
  assert.match(runs.stdout, /^no runs recorded yet in .*blank\.db\n$/);
  assert.equal((await runCli(['alerts', '--db', 'blank.db'], { cwd: dir })).stdout, 'no alerts\n');
  assertUserError(await runCli(['run', '1', '--db', 'blank.db'], { cwd: dir }), 23, /run 1 is not in/);
  const csv = await runCli(['export', '--table', 'runs', '--format', 'csv', '--db', 'blank.db'], { cwd: dir });
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout, /^id,tick_at_ms,/);
});

test('a --since that is no time is a usage error (exit 2) naming the option and the accepted forms', async () => {
  for (const since of ['99999999999w', '2026-02-31', '2026-13-01', 'noon', '2026-01-31Tnoon']) {
    for (const command of [['runs'], ['alerts'], ['plot', '--out', 'x.svg'], ['export', '--table', 'runs', '--format', 'csv']]) {
      assertUserError(await runCli([...command, '--since', since, '--db', fx.path], { cwd: dir }), 2,
        new RegExp(`--since expects an age like 30m, 24h, 7d, 2w or a date like 2026-01-31 \\(local midnight\\) or an ISO date-time like 2026-01-31T14:00:00Z; got "${since}"`));
    }
  }
});

test("another application's SQLite file exits 21", async () => {
  const foreign = await Database.open(join(dir, 'foreign.db'));
  await foreign.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); PRAGMA application_id = 1234;');
  await foreign.close();
  assertUserError(await runCli(['runs', '--db', 'foreign.db'], { cwd: dir }), 21, /application_id is 1234, not/);
});

test('a history written by a newer version exits 22', async () => {
  const newer = await Database.open(join(dir, 'newer.db'));
  await newer.exec(`CREATE TABLE runs (id INTEGER PRIMARY KEY); PRAGMA application_id = ${HISTORY_APPLICATION_ID}; PRAGMA user_version = 99;`);
  await newer.close();
  assertUserError(await runCli(['runs', '--db', 'newer.db'], { cwd: dir }), 22, new RegExp(`schema version 99; this sync-supervisor knows up to ${HISTORY_SCHEMA_VERSION}`));
});

test('--json turns an error into one JSON object on stderr', async () => {
  const result = await runCli(['runs', '--json', '--db', 'nowhere.db'], { cwd: dir });
  assert.equal(result.code, 20);
  assert.deepEqual(Object.keys(JSON.parse(result.stderr).error), ['code', 'message', 'hint', 'exitCode']);
  assert.equal(JSON.parse(result.stderr).error.code, 'HISTORY_NOT_FOUND');
});

test('usage mistakes exit 2 and say what was expected', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command "frobnicate"; expected one of runs, run, trend/],
    [['runs', '--limit', 'lots'], /--limit expects a positive whole number; got "lots"/],
    [['runs', '--status', 'exploded'], /--status expects one of running, ok, failed, killed/],
    [['runs', '--since', 'yesterday'], /--since expects an age like 30m, 24h, 7d, 2w or a date/],
    [['runs', '--colour'], /unknown option --colour; the options are --config, --db/],
    [['run'], /`run` needs a run id/],
    [['run', 'abc'], /run id must be a whole number; got "abc"/],
    [['export', '--table', 'runs'], /export needs --table .* and --format/],
    [['export', '--table', 'secrets', '--format', 'csv'], /--table expects one of runs, memory_history, alerts/],
    [['plot', '--out', 'chart.png'], /plot needs --out FILE\.svg or --out FILE\.html/],
    [['plot', '--run', '1', '--since', '7d', '--out', 'x.svg'], /--run ID or --since AGE, not both/],
  ];
  for (const [argv, message] of cases) assertUserError(await runCli([...argv, '--db', fx.path], { cwd: dir }), 2, message);
});

test('a run id that is not there exits 23, an unwritable --out exits 24', async () => {
  assertUserError(await runCli(['run', '7', '--db', fx.path], { cwd: dir }), 23, /run 7 is not in/);
  assertUserError(await runCli(['export', '--table', 'runs', '--format', 'csv', '--out', 'no/such/dir/runs.csv', '--db', fx.path], { cwd: dir }), 24, /cannot write .*no\/such\/dir\/runs\.csv: ENOENT/);
  assertUserError(await runCli(['plot', '--out', 'no/such/dir/plot.svg', '--db', fx.path], { cwd: dir }), 24, /cannot write .*plot\.svg: ENOENT/);
});

test('--help prints every command and every documented exit code', async () => {
  const result = await runCli(['--help'], { cwd: dir });
  assert.equal(result.code, 0);
  for (const command of ['runs', 'run', 'trend', 'alerts', 'export', 'plot']) assert.match(result.stdout, new RegExp(`\\n  ${command} `));
  for (const entry of Object.values(historyCodes)) assert.match(result.stdout, new RegExp(`${entry.exitCode}\\s+${entry.code}`));
  assert.equal((await runCli(['runs', '--help'], { cwd: dir })).code, 0);
  const bare = await runCli([], { cwd: dir });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage: sync-supervisor history/);
});
