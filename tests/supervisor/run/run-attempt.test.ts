import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childLineLevel } from '../../../supervisor/run/run-attempt.ts';

test('a child line keeps the level word it starts with; any other line is info', () => {
  assert.deepEqual(childLineLevel('warn  source x: 2 rows skipped'), { level: 'warn', text: 'source x: 2 rows skipped' });
  assert.deepEqual(childLineLevel('error boom'), { level: 'error', text: 'boom' });
  assert.deepEqual(childLineLevel('READY pid=3'), { level: 'info', text: 'READY pid=3' });
  assert.deepEqual(childLineLevel('warning is not a level word'), { level: 'info', text: 'warning is not a level word' });
});
