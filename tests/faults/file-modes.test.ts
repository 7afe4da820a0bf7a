// Fault: a permissive umask. worklist.db holds PHI; the history, logs and watermarks describe it. Whatever the umask,
// what we create is owner only: files 0600, folders 0700. A file that already exists keeps the mode it has.
//
// umask 000 is the worst case: every bit the code does not clear itself shows up in the mode.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { closeLogger, createLogger } from '../../shared/logger.ts';
import { Database } from '../../shared/sqlite.ts';
import { prepareDataDir } from '../../supervisor/data-dir.ts';
import { openHistoryForWrite } from '../../supervisor/history/open-history.ts';
import { openWorklist } from '../../sync-runner/worklist/worklist-schema.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { STANDARD_MAPPING } from '../helpers/runner-workspace.ts';
import { readHistory } from '../helpers/harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { cronEnv } from '../helpers/spawn-bin.ts';
import { programArgs } from '../helpers/entry-point.ts';
import { realRunner } from './fault-kit.ts';

const DEMO_EXPORT = fileURLToPath(new URL('../../examples/demo/redcap-export.json', import.meta.url));

const redcap = useRedcapSuite(syntheticRecords(5, { seed: 3 }));

/** `0600`-style text, so a failure shows the mode as an operator would read it. */
async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8).padStart(4, '0');
}

/** Every file and folder under `dir` (itself included), with its mode. */
async function modesUnder(dir: string): Promise<Record<string, string>> {
  const modes: Record<string, string> = { '.': `dir ${await modeOf(dir)}` };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    modes[path.slice(dir.length + 1)] = `${entry.isDirectory() ? 'dir' : 'file'} ${await modeOf(path)}`;
  }
  return modes;
}

const privately = (modes: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(modes).map(([path, mode]) => [path, mode.startsWith('dir') ? 'dir 0700' : 'file 0600']));

test('run-once under umask 000: every file the supervisor and the runner create is 0600, every folder 0700', async () => {
  const dir = await tempDir();
  const dataDir = join(dir, 'data');
  const worklistDir = join(dir, 'worklist');
  const pylantirConfig = join(dir, 'pylantir-config.json');
  // The bundled demo export, plus a REDCap API source so the runner has a watermark to write.
  await writeFile(pylantirConfig, JSON.stringify({
    db_path: join(worklistDir, 'worklist.db'),
    data_sources: [
      { name: 'demo_export', type: 'redcap-export', enabled: true, sync_interval: 60, config: { site: 'demo', protocol: { demo: 'DEMO_BRAIN_MRI' }, path: DEMO_EXPORT }, field_mapping: STANDARD_MAPPING },
      { name: 'main', type: 'redcap', enabled: true, sync_interval: 60, config: { site: 'uofc', protocol: { uofc: 'BRAIN_MRI' }, retry_delay_ms: 5 }, field_mapping: STANDARD_MAPPING },
    ],
  }));
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: realRunner(redcap.env(), dir), sync: { pylantirConfig }, dataDir: './data', restart: { maxAttempts: 1 } }));

  // The shell sets the umask, then becomes the supervisor; the runner inherits it.
  const child = spawn('sh', ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, ...programArgs('supervisor', ['run-once', '--config', config])], {
    cwd: dir, env: cronEnv(dir), stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);

  const data = await modesUnder(dataDir);
  for (const expected of ['history.db', 'logs', 'logs/supervisor.jsonl', 'sync-runner-watermarks.json']) assert.ok(data[expected], `${expected} in ${JSON.stringify(data)}`);
  assert.deepEqual(data, privately(data));
  const worklist = await modesUnder(worklistDir);
  assert.ok(worklist['worklist.db'], JSON.stringify(worklist));
  assert.deepEqual(worklist, privately(worklist));

  const { runs } = await readHistory(dataDir);
  assert.deepEqual(runs.map((r) => r.status), ['ok'], 'the sync itself worked');
});

test('prepareDataDir creates a missing data dir (and its parents) 0700, and leaves an existing one alone', async (t) => {
  const restore = process.umask(0o000);
  t.after(() => process.umask(restore));
  const root = await tempDir();
  await prepareDataDir(join(root, 'var', 'data'));
  assert.deepEqual(await modesUnder(join(root, 'var')), { '.': 'dir 0700', data: 'dir 0700' });
  await chmod(join(root, 'var', 'data'), 0o750);
  await prepareDataDir(join(root, 'var', 'data'));
  assert.equal(await modeOf(join(root, 'var', 'data')), '0750');
});

test('history.db, its -wal and -shm are 0600 while the supervisor has them open', async (t) => {
  const restore = process.umask(0o000);
  t.after(() => process.umask(restore));
  const dir = await tempDir();
  const path = join(dir, 'history.db');
  const db = await openHistoryForWrite(path);
  try {
    await db.exec('CREATE TABLE probe (x); INSERT INTO probe VALUES (1);');
    for (const file of [path, `${path}-wal`, `${path}-shm`]) assert.equal(await modeOf(file), '0600', file);
  } finally {
    await db.close();
  }
});

test('openWorklist creates a missing worklist.db 0600, and leaves the mode of an existing one alone', async (t) => {
  const restore = process.umask(0o000);
  t.after(() => process.umask(restore));
  const dir = await tempDir();
  const fresh = join(dir, 'fresh', 'worklist.db');
  await (await openWorklist(fresh)).close();
  assert.equal(await modeOf(fresh), '0600');
  assert.equal(await modeOf(join(dir, 'fresh')), '0700');

  // Pylantir's file, shared with the MWL server's user through a group: its owner decides its mode, not us.
  const shared = join(dir, 'shared.db');
  await (await Database.open(shared, { wal: false })).close();
  await chmod(shared, 0o660);
  const db = await openWorklist(shared);
  await db.run("INSERT INTO worklist_items (patient_id) VALUES ('p1')");
  await db.close();
  assert.equal(await modeOf(shared), '0660');
});

test('log files are 0600, the rotated ones too, in a 0700 folder', async (t) => {
  const restore = process.umask(0o000);
  t.after(() => process.umask(restore));
  const dir = join(await tempDir(), 'data', 'logs');
  const logger = createLogger({ dir, maxFileBytes: 4096, maxFiles: 3, consoleStream: new PassThrough() });
  for (let i = 0; i < 200; i++) logger.info(`line ${i} ${'x'.repeat(100)}`);
  await closeLogger(logger);
  const modes = await modesUnder(dir);
  assert.ok(Object.keys(modes).length >= 3, `rotated at least once: ${JSON.stringify(modes)}`);
  assert.deepEqual(modes, privately(modes));
  assert.equal(await modeOf(join(dir, '..')), '0700', 'the data dir the logger created on its way');
});
