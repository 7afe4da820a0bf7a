import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../shared/errors/app-error.ts';
import { runnerCodes } from '../../../shared/errors/runner-codes.ts';
import { helpText, parseArgs } from '../../../sync-runner/cli/args.ts';

test('parseArgs: both --name value and --name=value', () => {
  assert.deepEqual(parseArgs(['--pylantir-config', 'c.json', '--data-dir=d', '--env-file', '.env.x', '--log-level', 'debug']), { help: false, check: false, pylantirConfig: 'c.json', dataDir: 'd', envFile: '.env.x', logLevel: 'debug' });
  assert.deepEqual(parseArgs(['-h']), { help: true, check: false });
  assert.deepEqual(parseArgs(['--check', '--pylantir-config', 'c.json']), { help: false, check: true, pylantirConfig: 'c.json' });
});

test('parseArgs: usage errors say what is wrong', () => {
  assert.throws(() => parseArgs(['--nope']), /unknown argument "--nope"/);
  assert.throws(() => parseArgs(['--data-dir']), /--data-dir needs a value/);
  assert.throws(() => parseArgs(['--data-dir', '--help']), /needs a value/);
  assert.throws(() => parseArgs(['--log-level', 'loud']), /one of error, warn, info, debug; received "loud"/);
});

test('parseArgs: strict, as node:util parses it; every refusal is RUNNER_USAGE naming the argument', () => {
  const cases: [string[], RegExp][] = [
    [['stray'], /^unknown argument "stray"$/],
    [['-x'], /^unknown argument "-x"$/],
    [['--nope=1'], /^unknown argument "--nope"$/],
    [['--data-dir='], /^--data-dir needs a value$/],
    [['--pylantir-config', '-h'], /^--pylantir-config needs a value$/],
    [['--help=yes'], /^--help takes no value$/],
  ];
  for (const [argv, pattern] of cases) {
    assert.throws(() => parseArgs(argv), (error: unknown) => {
      assert.ok(error instanceof AppError, argv.join(' '));
      assert.equal(error.code, 'RUNNER_USAGE');
      assert.match(error.message, pattern, argv.join(' '));
      return true;
    });
  }
  assert.deepEqual(parseArgs(['--data-dir=-odd-name', '--help']), { help: true, check: false, dataDir: '-odd-name' }, 'a value starting with a dash is given with =');
});

test('the help text documents every runner exit code', () => {
  const text = helpText();
  for (const entry of Object.values(runnerCodes)) assert.match(text, new RegExp(`\\b${entry.exitCode}\\s+${entry.code}\\b`));
});
