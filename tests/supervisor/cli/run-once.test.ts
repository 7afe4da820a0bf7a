import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { readHistory } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { cronEnv, runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';

// Every test runs `node --import tsx supervisor/main.ts run-once --config FILE` as cron would: pipes, not a TTY;
// PATH and HOME only; the working directory a fresh temp dir.

test('run-once: an ok run exits 0, records the run and leaves no lock behind', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', []);
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  const { code } = await run.exit;
  assert.equal(code, 0, run.stderr());
  assert.match(run.stderr(), /run 1 \(attempt 1\) ok/);
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual(runs.map((r) => r.status), ['ok']);
  assert.equal(existsSync(join(dir, 'data', 'supervisor.lock')), false);
});

test('run-once: a runner failing on every attempt exits 1', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'exit-code.mjs', ['7'], { restart: { maxAttempts: 2, backoffMs: 50 } });
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 1, run.stderr());
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual(runs.map((r) => [r.status, r.exit_code]), [['failed', 7], ['failed', 7]]);
});

test('run-once: a runner killed for memory on its last attempt exits 3', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'leak.mjs', ['100'], { memory: { warnMb: 90, emergencyMb: 150, graceMs: 1000 }, restart: { maxAttempts: 1 } });
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 3, run.stderr());
  assert.match(run.stderr(), /runner killed: tree RSS [\d.]+ MB exceeded emergency limit 150 MB/);
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual(runs.map((r) => [r.status, r.reason]), [['killed', 'memory']]);
  assert.equal(isAlive(runs[0]!.pid!), false);
});

test('run-once: a second invocation while the first still runs exits 4 at once, naming the holder; the first finishes normally', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'hang.mjs', [], { run: { timeoutMs: 30_000 }, restart: { maxAttempts: 1 } });
  const first = runBin(['run-once', '--config', config], { cwd: dir });
  const ready = await first.waitForLog(/READY pid=\d+/);
  const runnerPid = Number(/READY pid=(\d+)/.exec(ready)?.[1]);

  const started = performance.now();
  const second = runBin(['run-once', '--config', config], { cwd: dir });
  const { code } = await second.exit;
  assert.equal(code, 4, second.stderr());
  assert.ok(performance.now() - started < 10_000, 'the skip does not wait for the holder');
  assert.match(second.stderr(), new RegExp(`another supervisor holds .*supervisor\\.lock: pid ${first.child.pid} on `));
  // Cron's normal overlap: a warning worded for cron, not an error with advice to stop anything.
  assert.match(second.stderr(), /warn .*run-once skipped \(exit 4\).*the next cron slot tries again \(recorded as run 2\)/);
  assert.doesNotMatch(second.stderr(), /\berror\b|next tick tries again/);
  assert.equal(isAlive(runnerPid), true, 'the skipped invocation did not touch the running runner');

  // The way systemd or an operator stops it: SIGTERM → the runner is stopped through the grace path, exit 0.
  first.child.kill('SIGTERM');
  assert.equal((await first.exit).code, 0, first.stderr());
  assert.match(first.stderr(), /SIGTERM received: stopping/);
  assert.equal(isAlive(runnerPid), false, 'no orphan runner');
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual(runs.map((r) => [r.status, r.reason]), [['interrupted', 'shutdown'], ['skipped', 'overlap']], 'the skip is in the history beside the run');
});

test('run-once: a config error exits 5 before anything runs', async () => {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({ runner: { command: 'node' }, memroy: { warnMb: 1 } }));
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 5);
  assert.match(run.stderr(), /memroy: unknown key; did you mean "memory"\?/);
  assert.match(run.stderr(), /check-config --config FILE/);
  assert.equal(existsSync(join(dir, 'data')), false, 'nothing was created');
  const missing = runBin(['run-once', '--config', join(dir, 'nope.json')], { cwd: dir });
  assert.equal((await missing.exit).code, 5);
  assert.match(missing.stderr(), /cannot read config file .*nope\.json: ENOENT/);
});

test('run-once: the REDCap settings in a .env in the working directory reach the runner, as the README promises for cron', async () => {
  const dir = await tempDir();
  // Only what the runner needs passes the allow-list (REDCAP_*); anything else in .env stays with the supervisor.
  await writeFile(join(dir, '.env'), 'REDCAP_API_URL=https://redcap.example.org/api/\nGREETING=hello-from-dotenv\n');
  const url = runBin(['run-once', '--config', await writeFixtureConfig(dir, 'status-print-env.mjs', ['REDCAP_API_URL'])], { cwd: dir, env: cronEnv(dir) });
  assert.equal((await url.exit).code, 0, url.stderr());
  assert.match(url.stderr(), /REDCAP_API_URL=https:\/\/redcap\.example\.org\/api\//);
  const other = runBin(['run-once', '--config', await writeFixtureConfig(dir, 'status-print-env.mjs', ['GREETING'])], { cwd: dir, env: cronEnv(dir) });
  assert.equal((await other.exit).code, 0, other.stderr());
  assert.doesNotMatch(other.stderr(), /hello-from-dotenv/);
});
