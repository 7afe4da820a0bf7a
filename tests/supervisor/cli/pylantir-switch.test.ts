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

test('a Pylantir server syncing the same worklist: check-config fails naming its pid, config and fix; a run raises pylantir-sync-running and still syncs', async () => {
  const dir = await tempDir();
  const { config, pylantir, worklist } = await site(dir);
  // The shape of Pylantir's console script, with the very config our runner reads, relative to its own cwd.
  const pylantirServer = await startPylantirStandIn(dir, ['start', '--pylantir_config', 'pylantir.json'], dir);

  const check = await bin(['check-config', '--config', config], dir);
  assert.equal(check.code, 5, check.stderr);
  assert.match(check.stderr, new RegExp(`second writer: Pylantir pid ${pylantirServer.pid} \\(config ${pylantir}\\) runs its own sync into the same worklist ${worklist}`));
  assert.match(check.stderr, new RegExp(`main\\.js pylantir-server-config --from ${pylantir} --out ${join(dir, 'pylantir.server.json')} --config ${config}`));

  const run = await bin(['run-once', '--config', config], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`error Pylantir pid ${pylantirServer.pid} \\(config ${pylantir}\\) runs its own sync.* alert=pylantir-sync-running`));
  assert.match(run.stderr, /run 1 \(attempt 1\) ok/);
  const alerts = await bin(['history', 'alerts', '--config', config], dir);
  assert.match(alerts.stdout, /critical\s+pylantir-sync-running/);

  // The fix, as printed: the server's config; Pylantir restarted with it (here: the `--pylantir_config=FILE` form).
  const fix = /`([^`]*pylantir-server-config[^`]*)`/.exec(check.stderr)?.[1];
  assert.ok(fix, check.stderr);
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => execFile('/bin/sh', ['-c', fix], { cwd: '/', env: cronEnv(dir) }, (error) => (error ? reject(error) : resolve())));
  await pylantirServer.stop();
  await startPylantirStandIn(dir, ['start', `--pylantir_config=${join(dir, 'pylantir.server.json')}`], '/');
  const fixed = await bin(['check-config', '--config', config], dir);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stderr, new RegExp(`check-config: worklist ${worklist}: exists, \\d+ row\\(s\\) in worklist_items`));
});

test('a Pylantir server on another worklist, or with its sources disabled, leaves check-config and a run quiet', async () => {
  const dir = await tempDir();
  const { config, pylantir } = await site(dir);
  const ours = JSON.parse(await readFile(pylantir, 'utf8')) as { data_sources: Array<Record<string, unknown>> };
  await writeFile(join(dir, 'other.json'), JSON.stringify({ ...ours, db_path: join(dir, 'elsewhere', 'worklist.db') }));
  await writeFile(join(dir, 'disabled.json'), JSON.stringify({ ...ours, data_sources: ours.data_sources.map((s) => ({ ...s, enabled: false })) }));
  await startPylantirStandIn(dir, ['start', '--pylantir_config', join(dir, 'other.json')]);
  await startPylantirStandIn(dir, ['--pylantir_config', 'disabled.json', 'start']);

  const check = await bin(['check-config', '--config', config], dir);
  assert.equal(check.code, 0, check.stderr);
  const run = await bin(['run-once', '--config', config], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /pylantir-sync-running|Pylantir pid/);
  const alerts = await bin(['history', 'alerts', '--config', config], dir);
  assert.doesNotMatch(alerts.stdout, /pylantir-sync-running/);
});

test('check-config fails a config that would sync nothing: empty data_sources, every source disabled, Pylantir\'s shipped template', async () => {
  const dir = await tempDir();
  const { config, pylantir } = await site(dir);
  const ours = JSON.parse(await readFile(pylantir, 'utf8')) as { data_sources: Array<Record<string, unknown>> };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ ...ours, data_sources: [] }, /"data_sources" is empty/],
    [{ ...ours, data_sources: ours.data_sources.map((s) => ({ ...s, enabled: false })) }, /all 1 of its data source\(s\) have "enabled": false/],
    [{ db_path: '/path/to/worklist.db', db_update_interval: 60, allowed_aet: [], site: '792', redcap2wl: { study_id: 'study_id' }, data_sources: [] }, /Pylantir's shipped template/],
  ];
  for (const [content, why] of cases) {
    await writeFile(pylantir, JSON.stringify(content));
    const check = await bin(['check-config', '--config', config], dir);
    assert.equal(check.code, 5, check.stderr);
    assert.match(check.stderr, new RegExp(`sync\\.pylantirConfig: ${pylantir} has no enabled data source`));
    assert.match(check.stderr, why);
  }
});

test('check-config prints the worklist path, whether it exists and its rows, and warns where the shipped unit cannot reach it', async () => {
  const dir = await tempDir();
  const { config, worklist } = await site(dir);
  const before = await bin(['check-config', '--config', config], dir);
  assert.equal(before.code, 0, before.stderr);
  assert.match(before.stderr, new RegExp(`check-config: worklist ${worklist}: does not exist yet`));
  // The temp dir is under /tmp, which the shipped unit's PrivateTmp=yes makes the service's own.
  assert.match(before.stderr, /warning: the worklist .* is under \/tmp, which the shipped systemd unit makes private to the service \(PrivateTmp=yes\)/);
  assert.equal((await bin(['run-once', '--config', config], dir)).code, 0);
  const after = await bin(['check-config', '--config', config], dir);
  assert.match(after.stderr, new RegExp(`check-config: worklist ${worklist}: exists, [1-9]\\d* row\\(s\\) in worklist_items`));
  await writeFile(worklist, 'not a database, not at all, but long enough to have a header');
  const corrupt = await bin(['check-config', '--config', config], dir);
  assert.match(corrupt.stderr, /exists, but is not a readable SQLite database/);
});

test('a run with nothing to sync warns in the log and says so in its row', async () => {
  const dir = await tempDir();
  const { config, pylantir } = await site(dir, { data_sources: [] });
  const run = await bin(['run-once', '--config', config], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`warn  run 1 synced nothing \\(reason nothing-to-sync\\): the runner found no enabled data source in ${pylantir}`));
  const runs = await bin(['history', 'runs', '--config', config], dir);
  assert.match(runs.stdout, /\bok\s+nothing-to-sync\b/);
  const one = await bin(['history', 'run', '1', '--config', config], dir);
  assert.match(one.stdout, /^run 1: ok \(nothing-to-sync\)/);
});
