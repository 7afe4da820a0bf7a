// The switch-over through the built bin (dist/supervisor/main.js): the server's config with Pylantir's sync off,
// a second writer caught by check-config and by a run, and a config that would sync nothing refused.
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.ts';
import { cronEnv, runBin } from '../../helpers/spawn-bin.ts';
import { startPylantirStandIn } from '../../helpers/pylantir-stand-in.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXPORT = join(ROOT, 'examples', 'demo', 'redcap-export.json');

async function bin(args: string[], dir: string, env: Record<string, string> = {}) {
  const run = runBin(args, { cwd: dir, env: cronEnv(dir, env), dist: true });
  return { code: (await run.exit).code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A site: a Pylantir config syncing the demo export into `dir/worklist.db`, and a supervisor config reading it. */
async function site(dir: string, pylantir: Record<string, unknown> = {}): Promise<{ config: string; pylantir: string; worklist: string }> {
  const worklist = join(dir, 'worklist.db');
  const file = join(dir, 'pylantir.json');
  const source = { name: 'demo', type: 'redcap-export', config: { site: 'demo', path: EXPORT }, field_mapping: { study_id: 'study_id', mri_instance: 'session_id', mri_date: 'scheduled_start_date', mri_time: 'scheduled_start_time' } };
  await writeFile(file, JSON.stringify({ db_path: worklist, allowed_aet: ['MRI_1'], data_sources: [source], ...pylantir }));
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ sync: { pylantirConfig: 'pylantir.json' }, dataDir: './data', restart: { maxAttempts: 1 } }));
  return { config, pylantir: file, worklist };
}

test('pylantir-server-config: data_sources [], the legacy keys gone, db_path absolute as the runner resolves it, every other key kept', async () => {
  const dir = await tempDir();
  const kept = { db_echo: '0', allowed_aet: ['MRI_1', 'MRI_2'], users_db_path: '/var/lib/pylantir/users.db', mri_visit_session_mapping: { t1_arm_1: '1' }, api: { cors_allow_credentials: true } };
  const legacy = { redcap2wl: { study_id: 'study_id' }, db_update_interval: 60, site: '792', protocol: { 792: 'BRAIN_MRI_3T' }, operation_interval: { start_time: [0, 0], end_time: [23, 59] } };
  const original = { db_path: 'worklist.db', ...kept, ...legacy, data_sources: [{ name: 'a', type: 'redcap' }] };
  const from = join(dir, 'mwl_config.json');
  await writeFile(from, JSON.stringify(original));
  await chmod(from, 0o640);

  const printed = await bin(['pylantir-server-config', '--from', 'mwl_config.json'], dir);
  assert.equal(printed.code, 0, printed.stderr);
  const server = JSON.parse(printed.stdout) as Record<string, unknown>;
  // The built-in config's runner runs in the package folder: a relative db_path is resolved there, as a run would.
  assert.deepEqual(server, { db_path: join(ROOT, 'worklist.db'), ...kept, data_sources: [] });
  assert.match(printed.stderr, /data_sources: 1 source\(s\) replaced by \[\]/);
  assert.match(printed.stderr, /removed the legacy sync keys: redcap2wl, db_update_interval, site, protocol, operation_interval/);

  await writeFile(from, JSON.stringify({ ...original, db_path: '~/wl/worklist.db' }));
  const tilde = await bin(['pylantir-server-config', '--from', from], dir, { HOME: '/home/mri' });
  assert.equal((JSON.parse(tilde.stdout) as { db_path: string }).db_path, '/home/mri/wl/worklist.db');

  const written = await bin(['pylantir-server-config', '--from', from, '--out', 'mwl_config.server.json'], dir);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, '');
  const out = join(dir, 'mwl_config.server.json');
  // cron's HOME is the temp dir here.
  assert.deepEqual(JSON.parse(await readFile(out, 'utf8')), { ...server, db_path: join(dir, 'wl', 'worklist.db') });
  assert.equal((await stat(out)).mode & 0o777, 0o640, 'a new --out gets the original\'s mode');
  assert.match(written.stderr, new RegExp(`wrote ${out}; start Pylantir with: pylantir start --pylantir_config ${out}`));

  const before = await readFile(from, 'utf8');
  const over = await bin(['pylantir-server-config', '--from', from, '--out', from], dir);
  assert.equal(over.code, 2, over.stderr);
  assert.match(over.stderr, /is the --from file: it holds the sources/);
  assert.equal(await readFile(from, 'utf8'), before, 'the original is untouched');
  assert.equal((await bin(['pylantir-server-config'], dir)).code, 2);
  assert.equal((await bin(['pylantir-server-config', '--from', 'missing.json'], dir)).code, 10);
  assert.equal((await bin(['pylantir-server-config', '--from', from, '--out', join(dir, 'no', 'such', 'dir.json')], dir)).code, 11);
});
