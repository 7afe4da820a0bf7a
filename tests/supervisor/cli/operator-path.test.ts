// The operator's path through the real bin: a kill's hint run exactly as printed, `history --config` on a systemd-like
// layout, and check-config refusing what a run would then fail on. The hint names dist/, which `npm test` builds first.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.ts';
import { cronEnv, runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const sh = promisify(execFile);

test('the leak demo: the hint of its kill, run as printed from another folder, shows the killed run', async () => {
  const dir = await tempDir();
  // A copy of examples/ as shipped, one attempt only: the demo's dataDir ../data/leak-demo lands inside the temp dir.
  await mkdir(join(dir, 'examples'));
  await copyFile(join(ROOT, 'examples', 'leaky-runner.mjs'), join(dir, 'examples', 'leaky-runner.mjs'));
  const demo = JSON.parse(await readFile(join(ROOT, 'examples', 'leak-demo.json'), 'utf8')) as { restart: Record<string, number> };
  demo.restart.maxAttempts = 1;
  await writeFile(join(dir, 'examples', 'leak-demo.json'), JSON.stringify(demo));
  // A demo run of the default config in ./data beside it: the old hint read that history instead.
  const run = runBin(['run-once', '--config', 'examples/leak-demo.json'], { cwd: dir });
  assert.equal((await run.exit).code, 3, run.stderr());
  const hint = /runner killed: .*\(1 process\); run (\d+); see `([^`]+)`/.exec(run.stderr());
  assert.ok(hint, run.stderr());
  const [, runId, command] = hint;
  assert.match(command!, new RegExp(`history run ${runId} --config ${join(dir, 'examples', 'leak-demo.json').replaceAll('/', '\\/')}$`));

  const elsewhere = await tempDir();
  const { stdout } = await sh('/bin/sh', ['-c', command!], { cwd: elsewhere, env: cronEnv(elsewhere) });
  assert.match(stdout, new RegExp(`^run ${runId}: killed \\(memory\\)`));
  assert.match(stdout, /emergency 200 MB/);
});

test('history --config on a systemd-like layout: dataDir elsewhere (0750), read from any folder; a new data dir is made 0700', async () => {
  const root = await tempDir();
  const etc = join(root, 'etc', 'sync-supervisor');
  const stateDir = join(root, 'var', 'lib', 'sync-supervisor');
  await mkdir(etc, { recursive: true });
  await mkdir(stateDir, { recursive: true });
  await chmod(stateDir, 0o750);
  const config = await writeFixtureConfig(etc, 'ok-runner.mjs', [], { dataDir: stateDir });
  const opt = join(root, 'opt');
  await mkdir(opt);
  const sync = runBin(['run-once', '--config', config], { cwd: opt });
  assert.equal((await sync.exit).code, 0, sync.stderr());
  assert.equal((await stat(stateDir)).mode & 0o777, 0o750, 'an existing data dir keeps its mode');

  const home = join(root, 'home');
  await mkdir(home);
  const runs = runBin(['history', 'runs', '--since', '24h', '--config', config], { cwd: home });
  assert.equal((await runs.exit).code, 0, runs.stderr());
  assert.match(runs.stdout(), /\b1\b.*\bok\b/);
  // Without --config the history reads the built-in config's ./data, as `sync-supervisor` would: not there.
  const bare = runBin(['history', 'runs'], { cwd: home });
  assert.equal((await bare.exit).code, 20);
  assert.match(bare.stderr(), new RegExp(`${join(home, 'data', 'history.db')} does not exist[\\s\\S]*--config FILE`));

  const fresh = join(root, 'var', 'lib', 'site-b');
  const second = runBin(['run-once', '--config', await writeFixtureConfig(join(root, 'etc'), 'ok-runner.mjs', [], { dataDir: fresh })], { cwd: opt });
  assert.equal((await second.exit).code, 0, second.stderr());
  assert.equal((await stat(fresh)).mode & 0o777, 0o700);
});

async function checkConfig(dir: string, config: Record<string, unknown>, env: Record<string, string> = {}) {
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  const run = runBin(['check-config', '--config', file], { cwd: dir, env: cronEnv(dir, env) });
  return { code: (await run.exit).code, stdout: run.stdout(), stderr: run.stderr() };
}

test('check-config fails on what a run would fail on: an unset token variable, a missing Pylantir config, a missing runner command or cwd', async () => {
  const dir = await tempDir();
  const status = { port: 9464, tokenEnv: 'SYNC_STATUS_TOKEN' };
  const unset = await checkConfig(dir, { status });
  assert.equal(unset.code, 5, unset.stderr);
  assert.match(unset.stderr, /a run would fail here:\n {2}- status\.tokenEnv: the variable SYNC_STATUS_TOKEN is unset in this environment, so supervise and run-once would exit 5/);
  assert.equal((await checkConfig(dir, { status }, { SYNC_STATUS_TOKEN: 'x'.repeat(32) })).code, 0);

  const all = await checkConfig(dir, { sync: { pylantirConfig: 'nope/pylantir.json' }, runner: { command: 'no-such-runner-anywhere', args: [] } });
  assert.equal(all.code, 5, all.stderr);
  assert.match(all.stderr, /runner\.command: "no-such-runner-anywhere" is not found on PATH/);
  assert.match(all.stderr, new RegExp(`sync\\.pylantirConfig: ${join(dir, 'nope', 'pylantir.json')} does not exist`));
  const relative = await checkConfig(dir, { runner: { command: './bin/runner', args: [] } });
  assert.match(relative.stderr, new RegExp(`runner\\.command: ${join(dir, 'bin', 'runner')} does not exist`));
  const noCwd = await checkConfig(dir, { runner: { command: process.execPath, args: [], cwd: 'no/such/folder' } });
  assert.equal(noCwd.code, 5, noCwd.stderr);
  assert.match(noCwd.stderr, new RegExp(`runner\\.cwd: ${join(dir, 'no', 'such', 'folder')} does not exist or is not a folder; create it`));
});

test('check-config loads the Pylantir config the bundled runner will read, and wants REDCap credentials for a redcap source', async () => {
  const dir = await tempDir();
  const pylantir = { db_path: 'worklist.db', data_sources: [{ name: 'mri', type: 'redcap', config: { site: 'A' }, field_mapping: { study_id: 'study_id' } }] };
  await writeFile(join(dir, 'pylantir.json'), JSON.stringify(pylantir));
  const noCredentials = await checkConfig(dir, { sync: { pylantirConfig: 'pylantir.json' } });
  assert.equal(noCredentials.code, 5, noCredentials.stderr);
  assert.match(noCredentials.stderr, /REDCap credentials \(a "redcap" source is enabled\): \[CREDENTIALS_INVALID\] REDCAP_API_URL is not set/);
  // An environment variable: the next step says where variables go, never "fix the named key in the config file".
  assert.match(noCredentials.stderr, /REDCAP_API_URL is not set[^\n]*\. Set REDCAP_API_URL \(ending in \/api\/\) and REDCAP_API_TOKEN \(32 hex characters\) in the environment or in \.env/);
  assert.match(noCredentials.stderr, /→ .*set in the environment the service gets \(the systemd EnvironmentFile, or \.env in its working directory\), not in the config file/);
  assert.doesNotMatch(noCredentials.stderr, /Fix the named key in the config file/);
  const badToken = await checkConfig(dir, { sync: { pylantirConfig: 'pylantir.json' } }, { REDCAP_API_URL: 'https://redcap.example.org/api/', REDCAP_API_TOKEN: 'secret-token-zz' });
  assert.equal(badToken.code, 5);
  assert.doesNotMatch(badToken.stderr, /secret-token-zz/, 'the token never appears in the message');
  const ok = await checkConfig(dir, { sync: { pylantirConfig: 'pylantir.json' } }, { REDCAP_API_URL: 'https://redcap.example.org/api', REDCAP_API_TOKEN: 'A'.repeat(32) });
  assert.equal(ok.code, 0, ok.stderr);
  // The runner's notes: each source's lifecycle settings, and the advice to turn the step on, on stderr (stdout stays the config).
  assert.match(ok.stderr, /^sync-runner: source "mri" lifecycle: cancel_removed false, expire_after_days off, max_cancel_fraction 0\.2, dry_run false, snapshot_every_minutes \d+; deleted or cancelled REDCap visits stay on the scanner's worklist: set config\.lifecycle "cancel_removed": true/m);
  await writeFile(join(dir, 'pylantir.json'), JSON.stringify({ data_sources: [{ name: 'x', type: 'redcap-export' }] }));
  const invalid = await checkConfig(dir, { sync: { pylantirConfig: 'pylantir.json' } });
  assert.equal(invalid.code, 5);
  assert.match(invalid.stderr, /sync\.pylantirConfig: \[PYLANTIR_CONFIG_INVALID\] Pylantir config .*pylantir\.json: key "data_sources\[0\]\.config" is required/);
});
