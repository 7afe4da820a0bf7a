import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { historyCodes } from '../../../shared/errors/history-codes.ts';
import { Database } from '../../../shared/sqlite.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from '../../../supervisor/history/schema.ts';
import { runCli, type CliResult } from '../../fixtures/history-cli-harness.ts';
import { createHistoryFixture, type HistoryFixture } from '../../fixtures/history-db.ts';

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
