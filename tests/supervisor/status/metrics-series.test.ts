// /metrics's series that come from the vocabulary and the trend monitor: kills_total's reasons are the termination
// reasons whose stop the supervisor counts, and the growth gauge reads the monitor's statistics as they are typed.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { DEFAULTS } from '../../../supervisor/config/defaults.ts';
import { readHistorySnapshot } from '../../../supervisor/history/snapshot.ts';
import { LiveState } from '../../../supervisor/live-state.ts';
import { createStatusMetrics } from '../../../supervisor/status/metrics.ts';
import type { TrendSource } from '../../../supervisor/status/routes.ts';
import { computeTrend } from '../../../supervisor/trend/stats.ts';
import { TERMINATION_REASONS } from '../../../supervisor/vocabulary/termination.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { parsePromText, sampleValue } from '../../helpers/prom-text.ts';

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function scrape(live: LiveState, trend: TrendSource = () => undefined) {
  const snapshot = await readHistorySnapshot(fx.db, 0);
  const registry = createStatusMetrics({ live, history: async () => snapshot, trend, rssBytes: () => 1, rateNeeds: DEFAULTS.trend });
  return parsePromText(await registry.metrics());
}

const killReasons = (prom: ReturnType<typeof parsePromText>): string[] =>
  prom.samples.filter((s) => s.name === 'sync_supervisor_kills_total').map((s) => s.labels.reason ?? '').sort();

test('kills_total has a series per reason the supervisor counts from the start, and none for a protocol stop', async () => {
  const live = new LiveState(0);
  assert.deepEqual(killReasons(await scrape(live)), ['memory', 'shutdown', 'timeout']);
  assert.ok(TERMINATION_REASONS.includes('protocol'), 'protocol is a termination reason, recorded failed');
  live.runEnded('failed', 'protocol', 10);
  live.runEnded('killed', 'memory', 20);
  const prom = await scrape(live);
  assert.deepEqual(killReasons(prom), ['memory', 'shutdown', 'timeout']);
  assert.equal(sampleValue(prom, 'sync_supervisor_kills_total', { reason: 'memory' }), 1);
});

test('the growth gauge reads the monitor\'s statistics: a value on enough data, absent below it', async () => {
  const { minPoints, minSpanMs } = DEFAULTS.trend;
  const step = Math.ceil(minSpanMs / (minPoints - 1));
  const points = (n: number) => Array.from({ length: n }, (_, i) => ({ atMs: i * step, mb: 100 + (i * step) / 3_600_000 }));
  const enough = computeTrend(points(minPoints), { emergencyMb: 500 });
  const few = computeTrend(points(minPoints - 1), { emergencyMb: 500 });
  assert.ok(enough && few);
  const prom = await scrape(new LiveState(0), () => ({ runner: enough, supervisor: few }));
  assert.ok(Math.abs((sampleValue(prom, 'sync_supervisor_memory_growth_mb_per_hour', { source: 'runner' }) ?? 0) - 1) < 1e-9);
  assert.equal(sampleValue(prom, 'sync_supervisor_memory_growth_mb_per_hour', { source: 'supervisor' }), undefined);
});
