import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runnerCodes } from '../../../shared/errors/runner-codes.ts';
import { helpText, parseArgs } from '../../../sync-runner/cli/args.ts';

test('parseArgs: both --name value and --name=value', () => {
  assert.deepEqual(parseArgs(['--pylantir-config', 'c.json', '--data-dir=d', '--env-file', '.env.x', '--log-level', 'debug']), { help: false, pylantirConfig: 'c.json', dataDir: 'd', envFile: '.env.x', logLevel: 'debug' });
  assert.deepEqual(parseArgs(['-h']), { help: true });
});

test('parseArgs: usage errors say what is wrong', () => {
  assert.throws(() => parseArgs(['--nope']), /unknown argument "--nope"/);
  assert.throws(() => parseArgs(['--data-dir']), /--data-dir needs a value/);
  assert.throws(() => parseArgs(['--data-dir', '--help']), /needs a value/);
  assert.throws(() => parseArgs(['--log-level', 'loud']), /one of error, warn, info, debug; received "loud"/);
});

test('the help text documents every runner exit code', () => {
  const text = helpText();
  for (const entry of Object.values(runnerCodes)) assert.match(text, new RegExp(`\\b${entry.exitCode}\\s+${entry.code}\\b`));
});
