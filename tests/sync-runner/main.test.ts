// The runner as the supervisor sees it: a real child process, a real worklist.db, the stand-in REDCap redcap.server.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { syntheticRecords, toCsv } from '../../examples/demo/synthetic-records.ts';
import { Database } from '../../shared/sqlite.ts';
import type { ResultMessage, RunnerMessage } from '../../shared/protocol.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import type { FailurePlan } from '../fixtures/redcap-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner, startRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, readWatermarkFile, redcapConfig, TEST_TOKEN, type Workspace } from '../helpers/runner-workspace.ts';

const GOLDEN = fileURLToPath(new URL('../fixtures/runner-golden-worklist.json', import.meta.url));
const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo/pylantir-config.json', import.meta.url));

const redcap = useRedcapSuite();
const workspace = () => redcap.workspace();

const argsFor = (ws: Workspace) => ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir];
const redcapEnv = (token = TEST_TOKEN) => redcap.env(token);
const resultOf = (messages: RunnerMessage[]) => messages.find((m): m is ResultMessage => m.type === 'result');

test('full import, then an incremental one: worklist equals the golden file, an IN_PROGRESS row keeps its status', async () => {
  const ws = await workspace();
  redcap.server.setRecords(syntheticRecords(30, { seed: 5, missingStudyIdEvery: 13 }));
  redcap.server.requests.length = 0;
  await ws.writeConfig(redcapConfig(ws, { batch_size: 10 }));

  const first = await runRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() });
  assert.equal(first.code, 0, first.stderr);
  const firstResult = resultOf(first.messages)?.sources[0];
  assert.equal(firstResult?.status, 'ok');
  assert.deepEqual([firstResult?.fetched, firstResult?.skipped], [30, 2]);
  assert.ok(first.messages.some((m) => m.type === 'progress' && m.done === 30 && m.total === 30));
  const idExport = redcap.server.requests.find((r) => r.content === 'record' && r.records === 0);
  assert.equal(idExport?.dateRangeBegin, undefined, 'the first sync is a full import');
  assert.deepEqual(idExport?.fields, ['record_id']);
  assert.deepEqual(redcap.server.requests.filter((r) => r.records > 0).map((r) => r.records), [10, 10, 10]);
  assert.ok(redcap.server.requests.every((r) => r.tokenOk));

  // A scan starts on record 4's first session; then REDCap moves its date, and new records arrive.
  const db = await Database.open(ws.dbPath, { wal: false });
  await db.run("UPDATE worklist_items SET performed_procedure_step_status = 'IN_PROGRESS' WHERE patient_id LIKE 'sub_00004_ses_1_%'");
  await db.close();
  const changed = syntheticRecords(4, { seed: 99, firstRecord: 3, baseDate: '2031-06-01', missingStudyIdEvery: 13 }).slice(0, 2);
  const added = syntheticRecords(2, { seed: 7, firstRecord: 31 });
  redcap.server.upsertRecords([...changed, ...added], formatRedcapDateTime(new Date()));
  // A change stamped before the last sync's start is outside the incremental range, so it must not be fetched.
  redcap.server.upsertRecords(syntheticRecords(1, { seed: 8, firstRecord: 5, baseDate: '2040-01-01' }), '2000-01-01 00:00:00');
  redcap.server.requests.length = 0;

  // The second run takes its credentials from ./.env, as Pylantir allows.
  await writeFile(join(ws.dir, '.env'), `REDCAP_API_URL=${redcap.server.url}\nREDCAP_API_TOKEN=${TEST_TOKEN}\n`);
  const second = await runRunner({ cwd: ws.dir, args: argsFor(ws) });
  assert.equal(second.code, 0, second.stderr);
  const begin = redcap.server.requests.find((r) => r.content === 'record' && r.records === 0)?.dateRangeBegin;
  assert.match(begin ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'the second sync is incremental');
  assert.equal(resultOf(second.messages)?.sources[0]?.fetched, 4);

  const rows = await dumpWorklist(ws.dbPath, { withId: true });
  const uids = await dumpWorklist(ws.dbPath, { withUid: true });
  for (const row of uids) assert.match(String(row.study_instance_uid), /^1\.2\.840\.10008\.3\.1\.2\.3\.4\.\d+$/);
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN, `${JSON.stringify(rows, null, 1)}\n`);
  assert.deepEqual(rows, JSON.parse(await readFile(GOLDEN, 'utf8')));
  const inProgress = rows.filter((r) => String(r.patient_id).startsWith('sub_00004_ses_1_'));
  assert.equal(inProgress.length, 1);
  assert.equal(inProgress[0]?.performed_procedure_step_status, 'IN_PROGRESS');
  assert.equal(inProgress[0]?.scheduled_start_date?.toString().startsWith('2031-'), true, 'its date moved');
});

test('every failure mode: a clear error and exit code, worklist and watermark unchanged, token nowhere', async () => {
  const ws = await workspace();
  redcap.server.fail(undefined);
  redcap.server.setRecords(syntheticRecords(12, { seed: 11 }));
  await ws.writeConfig(redcapConfig(ws, { batch_size: 5, max_attempts: 2, request_timeout_ms: 400 }));
  assert.equal((await runRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() })).code, 0);
  const worklistBefore = await dumpWorklist(ws.dbPath, { withUid: true, withId: true });
  const watermarkBefore = await readWatermarkFile(ws.dataDir);
  assert.ok(watermarkBefore);
  // Had any run below succeeded, it would have changed the worklist.
  redcap.server.upsertRecords(syntheticRecords(12, { seed: 12, baseDate: '2035-01-01' }), formatRedcapDateTime(new Date(Date.now() + 3_600_000)));

  const cases: { name: string; plan?: FailurePlan; token?: string; code: number; message: RegExp }[] = [
    { name: '401', plan: { mode: 'unauthorized' }, code: 42, message: /REDCAP_HTTP_ERROR.*HTTP 401/ },
    { name: '403', plan: { mode: 'forbidden' }, code: 42, message: /HTTP 403: You do not have permissions to use the API/ },
    { name: 'wrong token', token: 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF', code: 42, message: /HTTP 403/ },
    { name: 'malformed token', token: `${TEST_TOKEN}zz`, code: 41, message: /CREDENTIALS_INVALID.*34 characters, 2 of them not hexadecimal/ },
    { name: '400 bad field', plan: { mode: 'bad-field', content: 'record' }, code: 42, message: /HTTP 400: The following values in the parameter "fields" are not valid/ },
    { name: '500 HTML page', plan: { mode: 'html-500' }, code: 51, message: /REDCAP_SERVER_ERROR.*HTTP 500: text\/html body: <!DOCTYPE html>.*gave up after 2 attempts/ },
    { name: 'truncated JSON', plan: { mode: 'truncated-json', content: 'record', fromRequest: 2 }, code: 43, message: /batch 1 of 3.*truncated JSON/ },
    { name: 'not an array', plan: { mode: 'not-array', content: 'metadata' }, code: 43, message: /an object with keys count, data, not the expected JSON array/ },
    { name: 'hang', plan: { mode: 'hang', content: 'record' }, code: 44, message: /REDCAP_UNREACHABLE.*no complete answer within 400 ms.*gave up after 2 attempts/ },
    { name: 'connection reset', plan: { mode: 'reset' }, code: 44, message: /connection failed.*gave up after 2 attempts/ },
  ];
  for (const c of cases) {
    redcap.server.fail(c.plan);
    const run = await runRunner({ cwd: ws.dir, args: [...argsFor(ws), '--log-level', 'debug'], env: redcapEnv(c.token) });
    const result = resultOf(run.messages);
    assert.equal(run.code, c.code, `${c.name}: ${run.stderr}`);
    assert.equal(result?.sources[0]?.status, 'failed', c.name);
    assert.match(`${result?.sources[0]?.error?.code} ${result?.sources[0]?.error?.message}`, c.message, c.name);
    assert.match(run.stderr, /failed: \[/, `${c.name}: the error is logged`);
    assert.deepEqual(await dumpWorklist(ws.dbPath, { withUid: true, withId: true }), worklistBefore, `${c.name}: worklist unchanged`);
    assert.equal(await readWatermarkFile(ws.dataDir), watermarkBefore, `${c.name}: watermark unchanged`);
    const everything = `${run.stdout}\n${run.stderr}\n${JSON.stringify(run.messages)}`;
    for (const token of [TEST_TOKEN, c.token].filter((t): t is string => t !== undefined)) assert.ok(!everything.includes(token), `${c.name}: token leaked`);
  }
  redcap.server.fail(undefined);
  for (const file of await readdir(ws.dataDir)) assert.ok(!(await readFile(join(ws.dataDir, file), 'utf8')).includes(TEST_TOKEN));
});

test('slow answers, one reset and an empty batch are survived; the retry is logged', async () => {
  const ws = await workspace();
  redcap.server.setRecords(syntheticRecords(12, { seed: 13 }));
  await ws.writeConfig(redcapConfig(ws, { batch_size: 5, max_attempts: 3 }));
  redcap.server.fail({ mode: 'slow', delayMs: 50 });
  assert.equal((await runRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() })).code, 0);

  redcap.server.upsertRecords(syntheticRecords(12, { seed: 14, baseDate: '2033-01-01' }), formatRedcapDateTime(new Date(Date.now() + 3_600_000)));
  redcap.server.fail({ mode: 'reset', content: 'record', fromRequest: 2, times: 1 });
  const reset = await runRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() });
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stderr, /attempt 1 failed \(.*connection failed.*\); retrying in \d+ ms/);
  const resetResult = resultOf(reset.messages)?.sources[0];
  assert.equal(resetResult?.fetched, 12, 'the batch that met the reset was fetched again');
  assert.equal((resetResult?.inserted ?? 0) + (resetResult?.updated ?? 0) + (resetResult?.unchanged ?? 0) + (resetResult?.skipped ?? 0), resetResult?.mriRows);

  redcap.server.fail({ mode: 'empty-batch', content: 'record' });
  const empty = await runRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() });
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(resultOf(empty.messages)?.sources[0]?.warnings.join('\n') ?? '', /3 batch\(es\) came back empty/);
  redcap.server.fail(undefined);
});

test('SIGTERM mid-sync: the batch in hand commits, no other starts, exit 49 without waiting for the held request', async () => {
  const ws = await workspace();
  redcap.server.setRecords(syntheticRecords(200, { seed: 15 }));
  await ws.writeConfig(redcapConfig(ws, { batch_size: 20 }));
  redcap.server.fail({ mode: 'slow', content: 'record', fromRequest: 3, delayMs: 5_000 });
  let termAt = 0;
  let committedRecords = 0;
  const run = startRunner({
    cwd: ws.dir,
    args: argsFor(ws),
    env: redcapEnv(),
    onMessage: (message, self) => {
      if (message.type !== 'progress' || termAt !== 0) return;
      committedRecords = message.done;
      termAt = performance.now();
      self.child.kill('SIGTERM');
    },
  });
  const { code } = await run.exited;
  const stoppedIn = performance.now() - termAt;
  redcap.server.fail(undefined);
  assert.equal(code, 49, run.stderr());
  // The held request answers after 5 s; stopping well before that shows the runner aborted it rather than waited.
  assert.ok(stoppedIn < 4000, `stopped in ${Math.round(stoppedIn)} ms, before the slow answer`);
  assert.equal(committedRecords, 20);
  const result = resultOf(run.messages)?.sources[0];
  assert.equal(result?.error?.code, 'RUNNER_INTERRUPTED');
  assert.equal(result?.fetched, 20);
  assert.equal((await dumpWorklist(ws.dbPath)).length, result?.inserted, 'exactly the committed batch is in the worklist');
  assert.equal(await readWatermarkFile(ws.dataDir), undefined, 'no watermark for an unfinished sync');
});

test('the runner exits when its IPC channel closes (no orphan)', async () => {
  const ws = await workspace();
  redcap.server.setRecords(syntheticRecords(50, { seed: 16 }));
  await ws.writeConfig(redcapConfig(ws, { batch_size: 10 }));
  redcap.server.fail({ mode: 'hang', content: 'record', fromRequest: 2 });
  const run = startRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() });
  await run.ready;
  run.closeChannel();
  const { code } = await run.exited;
  redcap.server.fail(undefined);
  assert.equal(code, 49);
});

test('a runner whose supervisor died while it was still loading exits without syncing (the channel closed before it listened)', async () => {
  const ws = await workspace();
  redcap.server.setRecords(syntheticRecords(50, { seed: 17 }));
  await ws.writeConfig(redcapConfig(ws, { batch_size: 10 }));
  redcap.server.requests.length = 0;
  const run = startRunner({ cwd: ws.dir, args: argsFor(ws), env: redcapEnv() });
  run.closeChannel(); // long before the runner's modules have loaded
  const { code } = await run.exited;
  assert.equal(code, 49, run.stderr());
  assert.match(run.stderr(), /IPC channel closed/);
  assert.deepEqual(redcap.server.requests.filter((r) => r.content === 'record'), [], 'no export was started');
});

test('calpendo is refused, a CSV export source still syncs, a source outside its window is skipped', async () => {
  const ws = await workspace();
  await writeFile(join(ws.dir, 'export.csv'), toCsv(syntheticRecords(10, { seed: 17 }).flat()));
  const hour = new Date().getHours();
  const away: [number, number] = [(hour + 2) % 24, 0];
  const awayEnd: [number, number] = [(hour + 3) % 24, 0];
  const mapping = { mri_date: 'scheduled_start_date', mri_time: 'scheduled_start_time', youth_dob_y: 'patient_birth_date', weight_kg: 'patient_weight_lb' };
  await ws.writeConfig({
    db_path: 'worklist.db',
    data_sources: [
      { name: 'cal', type: 'calpendo', enabled: true, config: {} },
      { name: 'file', type: 'redcap-export', config: { site: 's', protocol: 'P', path: 'export.csv', batch_size: 3 }, field_mapping: mapping },
      { name: 'night', type: 'redcap', operation_interval: { start_time: away, end_time: awayEnd }, config: { site: 's' } },
      { name: 'off', type: 'redcap', enabled: false },
    ],
  });
  const run = await runRunner({ cwd: ws.dir, args: argsFor(ws) });
  assert.equal(run.code, 48, run.stderr);
  const [cal, file, night] = resultOf(run.messages)?.sources ?? [];
  assert.equal(resultOf(run.messages)?.sources.length, 3, 'disabled sources are not reported');
  assert.equal(cal?.error?.code, 'SOURCE_UNSUPPORTED');
  assert.match(cal?.error?.message ?? '', /type calpendo is not supported/);
  assert.equal(file?.status, 'ok');
  assert.equal(file?.fetched, 10);
  assert.match(file?.warnings.join('\n') ?? '', /1 requested field\(s\) not in the export file's columns, so not exported: weight_kg/);
  assert.equal(night?.status, 'skipped');
  assert.match(night?.reason ?? '', /^outside operation window \d\d:00–\d\d:00$/);
  assert.ok(existsSync(join(ws.dir, 'worklist.db')), 'a relative db_path resolves against the cwd');
  assert.equal((await dumpWorklist(join(ws.dir, 'worklist.db'))).length, file?.inserted);
});

test('the demo config fills data/worklist.db under the cwd with no REDCap variables set', async () => {
  const ws = await workspace();
  const run = await runRunner({ cwd: ws.dir, args: ['--pylantir-config', DEMO_CONFIG], ipc: false });
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await dumpWorklist(join(ws.dir, 'data', 'worklist.db'))).length, 278);
  assert.match(run.stderr, /source demo_export ok fetched=200 mriRows=280 inserted=278/);
  assert.doesNotMatch(run.stderr, /DEMO-0|sub_0|cpip-id/, 'no patient identifiers in the log');
});

test('--help documents the exit codes; a bad argument exits 2; no config exits 2', async () => {
  const ws = await workspace();
  const help = await runRunner({ cwd: ws.dir, args: ['--help'], ipc: false });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /49\s+RUNNER_INTERRUPTED/);
  const bad = await runRunner({ cwd: ws.dir, args: ['--bogus'], ipc: false });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown argument "--bogus"/);
  const none = await runRunner({ cwd: ws.dir, ipc: false });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Pylantir config: pass --pylantir-config PATH or set SYNC_PYLANTIR_CONFIG/);
  const invalid = await runRunner({ cwd: ws.dir, args: ['--pylantir-config', 'missing.json'], ipc: false });
  assert.equal(invalid.code, 40);
});
