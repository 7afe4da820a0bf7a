// Fault: storage. A corrupt or foreign history.db, a data dir that is missing, read-only or not a directory,
// and a full disk. Each must end in a clear refusal (the file, the reason, what to do) with its documented exit
// code, never an internal error, and never a damaged file.
//
// We run as root, so chmod does not stop writes. Read-only and full disks are real tmpfs mounts (`mount -t tmpfs
// -o ro` / `-o size=…`); where the sandbox forbids mount, those cases skip and say why. ENOTDIR comes from a data
// dir path under a regular file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { closeLogger } from '../../shared/logger.ts';
import { Database } from '../../shared/sqlite.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, makeWorkspace, STANDARD_MAPPING, type Workspace } from '../helpers/runner-workspace.ts';
import { capturedLogger, fixture, readHistory } from '../helpers/harness.ts';
import { spawnSupervisor } from '../helpers/spawn-supervisor.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { assertIntegrity, assertNoDuplicates, assertWorklistEquals } from './fault-kit.ts';
import { fill, mountedDir } from './tmpfs.ts';

const workspaces: Workspace[] = [];
after(() => Promise.all(workspaces.map((w) => w.cleanup())));

/** Runs `run-once` of the real bin on a config whose runner is a well-behaved fixture. */
async function runOnce(dataDir: string): Promise<{ code: number | null; output: string }> {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: { command: process.execPath, args: [fixture('ok-runner.mjs')] }, dataDir }));
  const sup = spawnSupervisor(['run-once', '--config', config], { cwd: dir });
  const { code } = await sup.exited();
  return { code, output: sup.output() };
}

/** A refusal an operator can act on: the documented code, the file named, a hint, and no stack trace. */
function assertRefusal(result: { code: number | null; output: string }, code: number, names: string, says: RegExp): void {
  assert.equal(result.code, code, result.output);
  assert.ok(result.output.includes(names), `the message names ${names}:\n${result.output}`);
  assert.match(result.output, says);
  assert.doesNotMatch(result.output, /internal error|\n\s+at /, 'no stack trace for an operator fault');
}

test('a history.db of garbage bytes: exit 7, the file named, kept untouched, and what to do', async () => {
  const dataDir = await tempDir();
  const history = join(dataDir, 'history.db');
  const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256));
  await writeFile(history, garbage);
  assertRefusal(await runOnce(dataDir), 7, history, /HISTORY_CORRUPT|not a readable SQLite file|corrupt/);
  assert.match((await runOnce(dataDir)).output, /Move the history file aside/);
  assert.deepEqual(await readFile(history), garbage, 'the corrupt file is kept as it was, for the post-mortem');
});

test("a history.db that belongs to another application: exit 8, the file named, left as it was", async () => {
  const dataDir = await tempDir();
  const history = join(dataDir, 'history.db');
  const db = await Database.open(history, { wal: false });
  await db.exec("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO patients (name) VALUES ('someone else''s data');");
  await db.close();
  const result = await runOnce(dataDir);
  assertRefusal(result, 8, history, /another application/);
  assert.match(result.output, /point `dataDir` elsewhere or move the file aside/);
  const again = await Database.open(history, { readonly: true });
  assert.deepEqual(await again.all('SELECT name FROM sqlite_master'), [{ name: 'patients' }], 'no table of ours was added');
  await again.close();
  await assertIntegrity(history, 'the foreign file');
});

test('a missing data dir is created; one under a regular file is refused with ENOTDIR (exit 6)', async () => {
  const base = await tempDir();
  const missing = join(base, 'not', 'yet', 'there');
  const created = await runOnce(missing);
  assert.equal(created.code, 0, created.output);
  assert.equal((await readHistory(missing)).runs[0]?.status, 'ok');

  await writeFile(join(base, 'a-file'), 'not a directory');
  const underFile = join(base, 'a-file', 'data');
  assertRefusal(await runOnce(underFile), 6, underFile, /ENOTDIR[\s\S]*Make the data dir exist and be writable/);
});

test('a read-only data dir (a tmpfs mounted ro): exit 6, EROFS, the dir named', async (t: TestContext) => {
  const mount = await mountedDir(t, 'ro,size=1m');
  if ('why' in mount) return t.skip(mount.why);
  const { dir } = mount;
  assertRefusal(await runOnce(dir), 6, dir, /EROFS|read-only/);
});

test('a full disk under the data dir: a clear refusal (exit 6), not a crash', async (t: TestContext) => {
  const mount = await mountedDir(t, 'size=1m');
  if ('why' in mount) return t.skip(mount.why);
  const { dir } = mount;
  await fill(dir, 0);
  const result = await runOnce(join(dir, 'data'));
  assertRefusal(result, 6, dir, /ENOSPC|disk is full|no space/i);
  assert.match(result.output, /free space/);
});

test('the worklist disk fills mid-sync: WORKLIST_DB_UNUSABLE (exit 47), the file intact; with space again the sync completes', async (t: TestContext) => {
  const mount = await mountedDir(t, 'size=2m');
  if ('why' in mount) return t.skip(mount.why);
  const { dir } = mount;
  const ws = await makeWorkspace();
  workspaces.push(ws);
  const exportPath = join(ws.dir, 'export.json');
  await writeFile(exportPath, JSON.stringify(syntheticRecords(3000, { seed: 31 }).flat()));
  const dbPath = join(dir, 'worklist.db');
  const config = (db: string) => ({ db_path: db, data_sources: [{ name: 'file', type: 'redcap-export', enabled: true, sync_interval: 60, config: { site: 'uofc', protocol: 'P', path: exportPath, batch_size: 250 }, field_mapping: STANDARD_MAPPING }] });
  const args = ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir];
  // The clean reference, on a roomy disk.
  await ws.writeConfig(config(ws.dbPath));
  assert.equal((await runRunner({ cwd: ws.dir, args })).code, 0);
  const expected = await dumpWorklist(ws.dbPath);

  await ws.writeConfig(config(dbPath));
  const filler = await fill(dir, 300 * 1024);
  const full = await runRunner({ cwd: ws.dir, args });
  assert.equal(full.code, 47, full.stderr);
  assert.match(full.stderr, /WORKLIST_DB_UNUSABLE/);
  assert.ok(full.stderr.includes(dbPath), 'the error names the worklist file');
  assert.match(full.stderr, /disk is full|SQLITE_FULL/i);
  await assertIntegrity(dbPath, 'worklist on a full disk');
  await assertNoDuplicates(dbPath);
  const partial = (await dumpWorklist(dbPath)).length;
  assert.ok(partial < expected.length, `the sync really hit the full disk (${partial} of ${expected.length} rows)`);

  await rm(filler);
  assert.equal((await runRunner({ cwd: ws.dir, args })).code, 0);
  await assertWorklistEquals(dbPath, expected, 'worklist after space came back');
  assert.ok(!existsSync(`${dbPath}-journal`), 'no hot journal left behind');
});

test('the history disk fills mid-run: the run still ends (live state cleared, the failing write logged once), the tick returns its status, the lock is released', async (t: TestContext) => {
  const mount = await mountedDir(t, 'size=2m');
  if ('why' in mount) return t.skip(mount.why);
  const { dir } = mount;
  const dataDir = join(dir, 'data');
  const config = parseConfig({ runner: { command: process.execPath, args: [fixture('exit-on-sigusr2.mjs')] }, dataDir, restart: { maxAttempts: 1 } }, { cwd: dir });
  const { logger, lines, waitFor } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  // Stopped even when an assertion fails first, or its self-watch keeps this test file alive.
  t.after(() => supervisor.stop());
  const tick = supervisor.triggerTick();
  const pid = Number(/READY pid=(\d+)/.exec(await waitFor(/READY pid=\d+/))?.[1]);
  const filler = await fill(dir, 0);
  process.kill(pid, 'SIGUSR2');
  const outcome = await tick;

  assert.equal(outcome.status, 'ok', `the tick reports the run's own status, not a crash:\n${lines.join('\n')}`);
  assert.equal(supervisor.live.current, undefined, 'the run is over in the live state, so /healthz does not call it stuck');
  assert.equal(supervisor.live.runsByStatus.get('ok'), 1);
  // The closing UPDATE is queued, never awaited by the tick: its failure is logged once, when the queue meets it.
  await waitFor(/history\.db cannot be written \(.*(SQLITE_FULL|full).*\); the sync and the memory watch go on/);
  assert.ok(!lines.some((l) => l.includes('tick failed')), lines.join('\n'));

  await supervisor.stop();
  await closeLogger(logger);
  assert.ok(!existsSync(join(dataDir, 'supervisor.lock')), 'the lock is released even though the history could not be written');
  await rm(filler);
  await assertIntegrity(join(dataDir, 'history.db'), 'history after a full disk');
});
