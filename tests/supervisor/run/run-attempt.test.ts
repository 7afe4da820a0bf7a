import assert from 'node:assert/strict';
import { test } from 'node:test';
import { childLineLevel } from '../../../supervisor/run/run-attempt.ts';
import { fixtureConfig, superviseOnce } from '../../helpers/harness.ts';

test('a child line keeps the level word it starts with; any other line is info', () => {
  assert.deepEqual(childLineLevel('warn  source x: 2 rows skipped'), { level: 'warn', text: 'source x: 2 rows skipped' });
  assert.deepEqual(childLineLevel('error boom'), { level: 'error', text: 'boom' });
  assert.deepEqual(childLineLevel('READY pid=3'), { level: 'info', text: 'READY pid=3' });
  assert.deepEqual(childLineLevel('warning is not a level word'), { level: 'info', text: 'warning is not a level word' });
});

test('a successful run stores the runner result and is not restarted', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const { outcome, runs, lines } = await superviseOnce(config);
  assert.equal(outcome.status, 'ok');
  assert.equal(runs.length, 1);
  assert.equal(JSON.parse(runs[0]!.result_json!).sources[0].inserted, 2);
  assert.ok(lines.some((l) => l.includes('READY') && l.includes(`run=${runs[0]!.id}`)), 'child output is logged and the run id reached the child');
  assert.ok(lines.some((l) => /run 1 \(attempt 1\) ok .* fixture ok: \+2/.test(l)));
});

test('a spawn failure is recorded as failed with the error', async () => {
  const config = await fixtureConfig('ok-runner.mjs', [], { runner: { command: '/nonexistent/runner' }, restart: { maxAttempts: 1 } });
  const { runs } = await superviseOnce(config);
  assert.equal(runs[0]?.status, 'failed');
  assert.match(runs[0]?.error ?? '', /ENOENT/);
});
