// /memory-status and /metrics count the outbox rows still pending and those given up.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { readHistorySnapshot } from '../../../supervisor/history/snapshot.ts';
import { LiveState } from '../../../supervisor/live-state.ts';
import { createStatusMetrics } from '../../../supervisor/status/metrics.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { DEFAULTS } from '../../../supervisor/config/defaults.ts';

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

test('pending and failed deliveries are counted in the snapshot and exported as a gauge; delivered ones are not', async () => {
  await fx.insertAlert({ atMs: 1000, level: 'critical', kind: 'memory-emergency', message: 'x' });
  const states = ['pending', 'pending', 'failed', 'delivered'];
  for (const [i, state] of states.entries()) {
    await fx.db.run('INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, next_attempt_at_ms, created_at_ms) VALUES (1, ?, ?, ?, 0, 0)', [`s${i}`, `k${i}`, state]);
  }
  const snapshot = await readHistorySnapshot(fx.db, 2000);
  assert.deepEqual(snapshot.alerts.deliveries, { pending: 2, failed: 1 });
  const registry = createStatusMetrics({ live: new LiveState(0), history: async () => snapshot, trend: () => undefined, rssBytes: () => 1, rateNeeds: DEFAULTS.trend });
  const text = await registry.metrics();
  assert.match(text, /^sync_supervisor_alert_deliveries\{state="pending"\} 2$/m);
  assert.match(text, /^sync_supervisor_alert_deliveries\{state="failed"\} 1$/m);
});
