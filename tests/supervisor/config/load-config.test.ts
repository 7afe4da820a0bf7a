import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { loadConfig, parseConfig } from '../../../supervisor/config/load-config.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { problemsOf } from '../../helpers/config-problems.ts';


// Each row: a bad config, and the key path plus the words its message must hold.
const badFields: Array<[string, unknown, RegExp]> = [
  ['schedule (type)', { schedule: 5 }, /^schedule: expected a cron expression string or \{ "everyMs": N \}, received 5 \(number\)/],
  ['schedule (cron)', { schedule: '61 * * * *' }, /^schedule: expected a node-cron expression.*received "61 \* \* \* \*"/],
  ['schedule.everyMs', { schedule: { everyMs: 1 } }, /^schedule\.everyMs: expected a number ≥ 50, received 1 \(number\)/],
  ['schedule.everyMs (type)', { schedule: { everyMs: '5m' } }, /^schedule\.everyMs: expected a value of type integer, received "5m" \(string\)/],
  ['schedule (empty string)', { schedule: '' }, /^schedule: expected a non-empty string, received "" \(string\)/],
  ['timezone', { timezone: 'Mars/Olympus' }, /^timezone: expected an IANA time zone.*"Mars\/Olympus"/],
  ['runOnStart', { runOnStart: 'yes' }, /^runOnStart: expected a value of type boolean, received "yes" \(string\)/],
  ['runner.command', { runner: {} }, /^runner\.command: required, received nothing/],
  ['runner.args', { runner: { command: 'x', args: 'a b' } }, /^runner\.args: expected a value of type array/],
  ['runner.env', { runner: { command: 'x', env: { A: 1 } } }, /^runner\.env\.A: expected a value of type string, received 1 \(number\)/],
  ['runner.cwd', { runner: { command: 'x', cwd: '' } }, /^runner\.cwd: expected a non-empty string/],
  ['sync.pylantirConfig', { sync: { pylantirConfig: 3 } }, /^sync\.pylantirConfig: expected a value of type string/],
  ['memory.sampleIntervalMs', { memory: { sampleIntervalMs: 1 } }, /^memory\.sampleIntervalMs: expected a number ≥ 10, received 1/],
  ['memory.warnMb', { memory: { warnMb: '400' } }, /^memory\.warnMb: expected a value of type number, received "400" \(string\)/],
  ['memory.warnMb (order)', { memory: { warnMb: 600 } }, /^memory\.warnMb: expected less than memory\.emergencyMb \(500\), received 600/],
  ['memory.emergencyMb', { memory: { emergencyMb: 0 } }, /^memory\.emergencyMb: expected a number > 0, received 0/],
  ['memory.graceMs', { memory: { graceMs: -1 } }, /^memory\.graceMs: expected a number ≥ 0, received -1/],
  ['memory.hardLimitMb', { memory: { hardLimitMb: 100 } }, /^memory\.hardLimitMb: expected at least memory\.emergencyMb \(500\), received 100/],
  ['memory.selfSampleIntervalMs', { memory: { selfSampleIntervalMs: 5 } }, /^memory\.selfSampleIntervalMs: expected a number ≥ 100/],
  ['memory.sustainMs (order)', { memory: { sustainMs: 60_000 }, run: { timeoutMs: 60_000 } }, /^memory\.sustainMs: expected less than run\.timeoutMs \(60000\), received 60000; the run would time out before the emergency line could stop it/],
  ['alerts.webhooks.0.headers (name)', { alerts: { webhooks: [{ url: 'https://x.example/h', headers: { 'Bad Name': 'secret-value', 'X-Ok': 'v' } }] } }, /^alerts\.webhooks\.0\.headers: expected header names .*RFC 7230 token.*received "Bad Name"; e\.g\. "X-Api-Key"$/],
  ['restart.maxAttempts', { restart: { maxAttempts: 0 } }, /^restart\.maxAttempts: expected a number ≥ 1, received 0/],
  ['restart.backoffMs', { restart: { backoffMs: 1.5 } }, /^restart\.backoffMs: expected a value of type integer, received 1\.5/],
  ['restart.backoffMaxMs', { restart: { backoffMs: 5000, backoffMaxMs: 10 } }, /^restart\.backoffMaxMs: expected at least restart\.backoffMs \(5000\), received 10/],
  ['run.timeoutMs', { run: { timeoutMs: 0 } }, /^run\.timeoutMs: expected a number ≥ 1, received 0/],
  ['dataDir', { dataDir: '' } , /^dataDir: expected a non-empty string/],
  ['log.level', { log: { level: 'loud' } }, /^log\.level: expected one of "error", "warn", "info", "debug", received "loud"/],
  ['log.json', { log: { json: 1 } }, /^log\.json: expected a value of type boolean/],
  ['trend.window', { trend: { window: 1 } }, /^trend\.window: expected a number ≥ 2, received 1/],
  ['trend.minPoints', { trend: { window: 5, minPoints: 10 } }, /^trend\.minPoints: expected at most trend\.window \(5\), received 10/],
  ['trend.warnMbPerHour', { trend: { warnMbPerHour: -1 } }, /^trend\.warnMbPerHour: expected a number > 0/],
  ['trend.criticalMb', { trend: { criticalMb: 'x' } }, /^trend\.criticalMb: expected a value of type number/],
  ['trend.logEveryRuns', { trend: { logEveryRuns: 0 } }, /^trend\.logEveryRuns: expected a number ≥ 1/],
  ['trend.minSpanMs', { trend: { minSpanMs: -5 } }, /^trend\.minSpanMs: expected a number ≥ 0/],
  ['retention.samplesDays', { retention: { samplesDays: 0 } }, /^retention\.samplesDays: expected a number > 0/],
  ['retention.runsDays', { retention: { runsDays: 'forever' } }, /^retention\.runsDays: expected a value of type number/],
  ['status.port', { status: { port: 70000 } }, /^status\.port: expected a number ≤ 65535, received 70000/],
  ['status.host', { status: { host: '' } }, /^status\.host: expected a non-empty string/],
  ['status.tokenEnv', { status: { tokenEnv: 'not valid' } }, /^status\.tokenEnv: expected a string matching/],
  ['unknown top-level key', { shedule: '* * * * *' }, /^shedule: unknown key; did you mean "schedule"\?/],
  ['unknown nested key', { memory: { emergncyMb: 300 } }, /^memory\.emergncyMb: unknown key; did you mean "emergencyMb"\?/],
  ['unknown key with no near match', { zzz: 1 }, /^zzz: unknown key; known keys are .*schedule/],
];

for (const [name, input, expected] of badFields) {
  test(`invalid ${name} is named in the error`, () => {
    const problems = problemsOf(input);
    assert.ok(problems.some((p) => expected.test(p)), `got:\n${problems.join('\n')}`);
  });
}

test('all problems are reported at once, and the message names the file', () => {
  try {
    parseConfig({ memory: { warnMb: 'x' }, bogus: 1 }, { cwd: '/', file: '/etc/c.json' });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.match(error.message, /^invalid config \/etc\/c\.json:\n {2}- /);
    assert.equal((error.details.problems as string[]).length, 2);
  }
});

test('defaults apply, the caller object is untouched, and file paths resolve against the file', () => {
  const input = { memory: { emergencyMb: 300, warnMb: 200 }, dataDir: 'state' };
  const frozen = JSON.stringify(input);
  const config = parseConfig(input, { cwd: '/cwd', file: '/etc/sync/config.json' });
  assert.equal(JSON.stringify(input), frozen);
  assert.equal(config.memory.hardLimitMb, 450);
  assert.equal(config.memory.sampleIntervalMs, 100);
  assert.equal(config.memory.graceMs, 3000);
  assert.equal(config.restart.maxAttempts, 3);
  assert.equal(config.run.timeoutMs, 600000);
  assert.equal(config.dataDir, '/etc/sync/state');
  assert.equal(parseConfig({}, { cwd: '/cwd' }).dataDir, '/cwd/data');
  assert.deepEqual(parseConfig({ schedule: '*/5 * * * * *' }, { cwd: '/' }).schedule, { cron: '*/5 * * * * *' });
});

test('a missing file and a file that is not JSON are config errors that name the file', async () => {
  const dir = await tempDir();
  assert.throws(() => loadConfig(join(dir, 'nope.json'), dir), /cannot read config file .*nope\.json: ENOENT/);
  await writeFile(join(dir, 'bad.json'), '{ "schedule": ');
  assert.throws(() => loadConfig(join(dir, 'bad.json'), dir), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID' && /bad\.json is not valid JSON/.test(e.message));
});
