import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateKillStreak, killStreak } from '../../../supervisor/trend/kill-streak.ts';
import { notEnoughData } from '../../../supervisor/trend/rate-data.ts';

test('the kill streak counts kills from the newest run; skips and shutdown interruptions neither count nor break it', () => {
  assert.equal(killStreak(['killed', 'timeout', 'skipped', 'interrupted', 'killed', 'ok', 'killed']), 3);
  assert.equal(killStreak(['failed', 'killed', 'killed', 'killed']), 0);
  assert.equal(killStreak([]), 0);
  assert.equal(evaluateKillStreak(false, 2), undefined);
  assert.equal(evaluateKillStreak(false, 3)?.phase, 'raised');
  assert.equal(evaluateKillStreak(true, 5), undefined, 'raised once, not once per kill');
  assert.equal(evaluateKillStreak(true, 0)?.phase, 'recovered');
});

test('a rate needs the points and the span, and says which are missing', () => {
  const need = { minPoints: 10, minSpanMs: 10 * 60_000 };
  assert.equal(notEnoughData({ slopePoints: 4, slopeSpanMs: 6 * 60_000 }, need), 'not enough data: 4 points over 6 minutes; need ≥ 10 over ≥ 10 minutes');
  assert.match(notEnoughData({ slopePoints: 40, slopeSpanMs: 60_000 }, need) ?? '', /40 points over 60 seconds/);
  assert.equal(notEnoughData({ slopePoints: 10, slopeSpanMs: 10 * 60_000 }, need), null);
});
