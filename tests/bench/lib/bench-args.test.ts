import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchArgs } from '../../../bench/lib/bench-args.ts';

const accepted = { 'before-after': ['before', 'rounds'] };

test('suite names apart from their options', () => {
  assert.deepEqual(parseBenchArgs(['before-after', '--before', 'HEAD~3', '--rounds', '2'], accepted), { names: ['before-after'], options: { before: 'HEAD~3', rounds: '2' } });
  assert.deepEqual(parseBenchArgs(['detection', 'status'], accepted), { names: ['detection', 'status'], options: {} });
});

test('an option with no value, or one no named suite takes, is refused with the fix', () => {
  assert.match((parseBenchArgs(['before-after', '--before'], accepted) as { error: string }).error, /--before needs a value, e\.g\. --before HEAD~3/);
  assert.match((parseBenchArgs(['detection', '--before', 'HEAD~1'], accepted) as { error: string }).error, /--before belong to no suite named; options by suite: before-after: --before, --rounds/);
});
