// examples/deploy/cron works as written: the crontab line's command, with its paths moved into a temp layout (a
// releases/ folder and the `current` symlink, the env file in etc/), runs a real demo sync through the built bin
// (dist/, which `npm test` builds first) and exits 0 with nothing on stdout.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { cronEnv } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CRON = join(ROOT, 'examples', 'deploy', 'cron');
const sh = promisify(execFile);

/** The command of the crontab's schedule line: everything after the five time fields. */
async function crontabCommand(): Promise<string> {
  const line = (await readFile(join(CRON, 'sync-supervisor.crontab'), 'utf8')).split('\n').find((l) => /^[*\d]/.test(l));
  assert.ok(line, 'the crontab has a schedule line');
  return line.split(/\s+/).slice(5).join(' ');
}

test('the crontab line, in a temp layout with the cron config, runs a real demo sync and exits 0 quietly', async () => {
  const root = await tempDir();
  const etc = join(root, 'etc', 'sync-supervisor');
  const state = join(root, 'var', 'lib', 'sync-supervisor');
  const logs = join(root, 'var', 'log', 'sync-supervisor');
  // The folders ecosystem.md tells the operator to create (owner-only state, a log folder for cron.log).
  await mkdir(etc, { recursive: true });
  await mkdir(state, { recursive: true, mode: 0o700 });
  await mkdir(logs, { recursive: true });
  const demo = JSON.parse(await readFile(join(ROOT, 'examples', 'demo', 'pylantir-config.json'), 'utf8')) as {
    db_path: string; data_sources: Array<{ config: { path: string } }>;
  };
  demo.db_path = join(state, 'worklist.db');
  demo.data_sources[0]!.config.path = join(ROOT, 'examples', 'demo', 'redcap-export.json');
  await writeFile(join(etc, 'pylantir-config.json'), JSON.stringify(demo));
  const cronConfig = await readFile(join(CRON, 'config.json'), 'utf8');
  assert.equal((JSON.parse(cronConfig) as { status?: unknown }).status, undefined, 'one tick per process: no status server, no token to set');
  const config = cronConfig.replaceAll('/etc/sync-supervisor', etc).replaceAll('/var/lib/sync-supervisor', state);
  await writeFile(join(etc, 'config.json'), config);

  // The environment file outside the releases, as ecosystem.md installs it (the demo source needs no credentials).
  await writeFile(join(etc, 'sync-supervisor.env'), '# REDCAP_API_URL=https://redcap.example.org/api/\n', { mode: 0o640 });
  // The release layout of "Upgrading under cron": current → releases/0.1.0 (here, this package), switched atomically.
  const opt = join(root, 'opt', 'sync-supervisor');
  await mkdir(join(opt, 'releases'), { recursive: true });
  await symlink(ROOT.replace(/\/$/, ''), join(opt, 'releases', '0.1.0'));
  await symlink(join('releases', '0.1.0'), join(opt, 'current.new'));
  await rename(join(opt, 'current.new'), join(opt, 'current'));

  const command = (await crontabCommand())
    .replaceAll('/opt/sync-supervisor', opt)
    .replaceAll('/usr/bin/node', process.execPath)
    .replaceAll('/etc/sync-supervisor', etc)
    .replaceAll('/var/log/sync-supervisor', logs);
  const { stdout, stderr } = await sh('/bin/sh', ['-c', command], { cwd: root, env: cronEnv(root) });
  assert.equal(stdout, '', 'exit 0 prints nothing, so cron mails nothing');
  assert.equal(stderr, '');

  const log = await readFile(join(logs, 'cron.log'), 'utf8');
  assert.match(log, /run 1 \(attempt 1\) ok/, log);
  const db = await Database.open(join(state, 'worklist.db'), { readonly: true });
  try {
    const rows = await db.get<{ n: number }>('SELECT count(*) AS n FROM worklist_items');
    assert.ok((rows?.n ?? 0) > 0, 'the demo sync wrote worklist rows');
  } finally {
    await db.close();
  }
  assert.equal((await stat(join(state, 'history.db'))).mode & 0o777, 0o600);

  // The line reads the env file: without it, it says so on stderr (cron mails that) instead of running without it.
  await rename(join(etc, 'sync-supervisor.env'), join(etc, 'moved-away.env'));
  const missing = await sh('/bin/sh', ['-c', command], { cwd: root, env: cronEnv(root) }).then(() => '', (error: { stderr: string }) => error.stderr);
  assert.match(missing, /sync-supervisor\.env/);
});
