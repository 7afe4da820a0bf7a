// Each command's --help is its own, an unknown option or command gets a "did you mean", exit codes are numbered;
// the real bin, spawned with cron's bare environment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyCodes } from '../../../shared/errors/history-codes.ts';
import { supervisorCodes } from '../../../shared/errors/supervisor-codes.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';

async function bin(args: string[], cwd: string) {
  const run = runBin(args, { cwd });
  return { code: (await run.exit).code, stdout: run.stdout(), stderr: run.stderr() };
}

test('run-once --help and check-config --help print their own help, with numbered exit codes', async () => {
  const dir = await tempDir();
  const runOnce = await bin(['run-once', '--help'], dir);
  assert.equal(runOnce.code, 0);
  assert.match(runOnce.stdout, /^Usage: sync-supervisor run-once /);
  assert.match(runOnce.stdout, /the next cron slot tries again/);
  assert.match(runOnce.stdout, /\n +4 +LOCK_HELD +another supervisor holds/);
  const check = await bin(['check-config', '-h'], dir);
  assert.match(check.stdout, /^Usage: sync-supervisor check-config /);
  assert.match(check.stdout, /status\.tokenEnv is set/);
  assert.doesNotMatch(check.stdout, /run-once \[--config FILE\] {6}one supervised tick/, 'not the parent help');
  const top = await bin(['--help'], dir);
  for (const entry of Object.values(supervisorCodes)) assert.match(top.stdout, new RegExp(`\\n +${entry.exitCode} +${entry.code} +\\S`), entry.code);
  assert.match(top.stdout, /until SIGTERM\/Ctrl-C/);
});

test('each history command prints its own help; the exit codes there carry numbers and meanings', async () => {
  const dir = await tempDir();
  for (const command of ['runs', 'run', 'trend', 'alerts', 'worklist', 'export', 'plot']) {
    const { code, stdout } = await bin(['history', command, '--help'], dir);
    assert.equal(code, 0, command);
    assert.match(stdout, new RegExp(`^Usage: sync-supervisor history ${command} `), command);
    assert.match(stdout, /--config FILE +the supervisor's config/);
    for (const entry of Object.values(historyCodes)) assert.match(stdout, new RegExp(`\\n +${entry.exitCode} +${entry.code} +\\S`));
  }
});

test('an unknown option or command gets a "did you mean" instead of Node\'s parser message', async () => {
  const dir = await tempDir();
  const cases: Array<[string[], RegExp]> = [
    [['run-once', '--confg', 'x.json'], /unknown option --confg; did you mean --config\?/],
    [['run-onse'], /unknown command "run-onse"; did you mean run-once\?/],
    [['history', 'runs', '--sinse', '24h'], /runs: unknown option --sinse; did you mean --since\?[\s\S]*history runs --help/],
    [['history', 'tren'], /unknown command "tren"; did you mean trend\?/],
  ];
  for (const [argv, message] of cases) {
    const { code, stderr } = await bin(argv, dir);
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /To specify a positional argument/);
  }
});

test('a cron schedule with runOnStart false logs when its first tick comes', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', [], { schedule: '0 3 * * *', timezone: 'UTC', runOnStart: false });
  const run = runBin(['--config', config], { cwd: dir });
  const line = await run.waitForLog(/schedule cron/);
  assert.match(line, /schedule cron "0 3 \* \* \*" \(UTC\): next tick at \d{4}-\d\d-\d\dT03:00:00\.000Z; runs until SIGTERM or Ctrl-C/);
  run.child.kill('SIGTERM');
  assert.equal((await run.exit).code, 0, run.stderr());
});
