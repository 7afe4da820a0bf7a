import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureConfig, superviseOnce } from '../../helpers/harness.ts';

test('a crash is restarted with doubling backoff until the attempts run out, then a critical alert', async () => {
  const config = await fixtureConfig('exit-code.mjs', ['3'], { restart: { maxAttempts: 3, backoffMs: 100, backoffMaxMs: 150 } });
  const { outcome, runs, alerts } = await superviseOnce(config);
  assert.equal(outcome.status, 'failed');
  assert.deepEqual(runs.map((r) => [r.attempt, r.status, r.exit_code]), [[1, 'failed', 3], [2, 'failed', 3], [3, 'failed', 3]]);
  assert.equal(new Set(runs.map((r) => r.tick_at_ms)).size, 1, 'all attempts belong to one tick');
  const gap = (i: number) => runs[i]!.started_at_ms - runs[i - 1]!.ended_at_ms!;
  assert.ok(gap(1) >= 100 && gap(2) >= 150, `backoff gaps ${gap(1)} ${gap(2)}`);
  const exhausted = alerts.filter((a) => a.kind === 'attempts-exhausted');
  assert.equal(exhausted.length, 1);
  assert.equal(exhausted[0]?.level, 'critical');
});
