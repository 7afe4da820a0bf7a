import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { errorCatalogue } from '../../../shared/errors/catalogue.ts';
import { supervisorCodes } from '../../../shared/errors/supervisor-codes.ts';
import { runCli } from '../../../supervisor/cli/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** `runCli` in-process, with its streams captured: the CLI is a function from argv to an exit code. */
async function cli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await runCli(argv, { stdout, stderr, env: {}, cwd, signals: new EventEmitter() });
  return { code, stdout: out, stderr: err };
}

test('--help prints usage, the commands and every supervisor exit code; -h too', async () => {
  const dir = await tempDir();
  for (const flag of ['--help', '-h']) {
    const { code, stdout } = await cli([flag], dir);
    assert.equal(code, 0);
    assert.match(stdout, /^sync-supervisor \d+\.\d+\.\d+/);
    for (const word of ['run-once', 'check-config', 'history', '--log-level', '--json-logs']) assert.ok(stdout.includes(word), word);
    for (const entry of Object.values(supervisorCodes)) assert.match(stdout, new RegExp(`\\s${entry.exitCode}\\s+${entry.code}\\b`));
  }
});

test('--version and -v print the package version', async () => {
  const dir = await tempDir();
  assert.deepEqual(await cli(['--version'], dir), { code: 0, stdout: `${VERSION}\n`, stderr: '' });
  assert.equal((await cli(['-v'], dir)).stdout, `${VERSION}\n`);
});

test('check-config: a valid file prints the resolved settings and exits 0', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', [], { memory: { emergencyMb: 300, warnMb: 200 }, status: { port: 0 } });
  const { code, stdout } = await cli(['check-config', '--config', config], dir);
  assert.equal(code, 0);
  assert.match(stdout, /^config OK: /);
  const settings = JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as { memory: { hardLimitMb: number }; dataDir: string; status: { host: string } };
  assert.equal(settings.memory.hardLimitMb, 450, 'defaults applied');
  assert.equal(settings.dataDir, join(dir, 'data'), 'paths resolved against the config file');
  assert.equal(settings.status.host, '127.0.0.1');
});

test('check-config: an invalid file exits 5 and names the bad key; broken JSON exits 5 too', async () => {
  const dir = await tempDir();
  const file = join(dir, 'bad.json');
  await writeFile(file, JSON.stringify({ memory: { warnMb: 600, emergencyMb: 500 }, status: { port: 70000 } }));
  const { code, stderr } = await cli(['check-config', '--config', file], dir);
  assert.equal(code, 5);
  assert.equal(code, errorCatalogue.CONFIG_INVALID.exitCode);
  assert.match(stderr, /status\.port: expected a number ≤ 65535, received 70000/);
  await writeFile(file, '{ not json');
  assert.equal((await cli(['check-config', '--config', file], dir)).code, 5);
});

test('check-config --print-schema prints the JSON Schema', async () => {
  const dir = await tempDir();
  const { code, stdout } = await cli(['check-config', '--print-schema'], dir);
  assert.equal(code, 0);
  assert.ok((JSON.parse(stdout) as { properties: Record<string, unknown> }).properties.status);
});

test('usage errors exit 2 and say what was wrong', async () => {
  const dir = await tempDir();
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command "frobnicate"/],
    [['run-once', 'extra'], /unknown command "run-once extra"/],
    [['--nope'], /unknown option --nope; the options are --config, --once/],
    [['--log-level', 'loud'], /--log-level: expected one of error, warn, info, debug, received "loud"/],
    [['--config'], /--config/],
  ];
  for (const [argv, message] of cases) {
    const { code, stderr } = await cli(argv, dir);
    assert.equal(code, 2, argv.join(' '));
    assert.match(stderr, message);
    assert.match(stderr, /sync-supervisor --help/);
  }
});

test('the real bin: --json-logs gives one JSON object per line; --log-level warn drops info lines', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'ok-runner.mjs', []);
  const json = runBin(['run-once', '--config', config, '--json-logs'], { cwd: dir });
  assert.equal((await json.exit).code, 0, json.stderr());
  const lines = json.stderr().trim().split('\n');
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    const entry = JSON.parse(line) as { level: string; message: string; timestamp: string };
    assert.ok(['error', 'warn', 'info', 'debug'].includes(entry.level) && typeof entry.message === 'string' && entry.timestamp, line);
  }
  assert.ok(lines.some((l) => l.includes('supervisor started')));

  const quiet = runBin(['run-once', '--config', config, '--log-level', 'warn'], { cwd: dir });
  assert.equal((await quiet.exit).code, 0, quiet.stderr());
  assert.doesNotMatch(quiet.stderr(), /supervisor started|READY/);
});

test('the real bin: --version and a usage error, with cron\'s bare environment', async () => {
  const dir = await tempDir();
  const version = runBin(['--version'], { cwd: dir });
  assert.equal((await version.exit).code, 0);
  assert.equal(version.stdout(), `${VERSION}\n`);
  const usage = runBin(['--bogus'], { cwd: dir });
  assert.equal((await usage.exit).code, 2);
  assert.equal(usage.stdout(), '');
});
