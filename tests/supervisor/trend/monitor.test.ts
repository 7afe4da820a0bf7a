import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { TrendConfig } from '../../../supervisor/config/types.ts';
import { HistoryStore } from '../../../supervisor/history/store.ts';
import { TrendMonitor } from '../../../supervisor/trend/monitor.ts';
import { capturedLogger } from '../../helpers/captured-logger.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';

const T0 = Date.UTC(2026, 0, 1);
const TICK = 5 * 60_000;
const trend: TrendConfig = { window: 100, minPoints: 10, minSpanMs: 600_000, warnMbPerHour: 10, criticalMb: 500, logEveryRuns: 10 };

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function alertRows(): Promise<Array<{ level: string; kind: string; run_id: number | null }>> {
  return fx.db.all('SELECT level, kind, run_id FROM alerts ORDER BY id');
}

// Inserts runs whose peak follows `peakMb(i)` and tells the monitor after each, as the supervisor does.
async function feedRuns(monitor: TrendMonitor, count: number, peakMb: (i: number) => number, from = 0): Promise<number[]> {
  const ids: number[] = [];
  for (let i = from; i < from + count; i++) {
    const id = await fx.insertRun({ startedAtMs: T0 + i * TICK, durationMs: 2000, peakMb: peakMb(i) });
    await monitor.onRunFinished(id);
    ids.push(id);
  }
  return ids;
}

test('a leaking runner raises one trend-growth warning tied to its run, and logs a summary every 10 runs', async () => {
  const { logger, entries } = capturedLogger();
  const monitor = new TrendMonitor({ store: new HistoryStore(fx.db), logger, trend, emergencyMb: 500, now: () => T0 });
  await feedRuns(monitor, 40, (i) => 100 + 2 * i); // 2 MB per 5 min = 24 MB/h
  const alerts = await alertRows();
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.kind, 'trend-growth');
  assert.equal(alerts[0]?.level, 'warning');
  assert.equal(alerts[0]?.run_id, 10); // the first run with a mature window (10 points, 45 min)
  const summaries = entries.filter((l) => l.message.startsWith('memory trend (runner peak RSS)'));
  assert.equal(summaries.length, 4);
  assert.match(summaries[0]?.message ?? '', /current 118\.0 MB, avg 109\.0, min 100\.0, max 118\.0, growth \+24\.00 MB\/h/);
  const snapshots = await fx.db.all<{ source: string; points: number }>('SELECT source, points FROM trend_snapshots ORDER BY id');
  assert.deepEqual(snapshots.map((s) => s.points), [10, 20, 30, 40]);
  assert.ok(entries.some((l) => l.level === 'warn' && l.message.includes('memory trend raised')));
  assert.equal(monitor.latest().runner?.points, 40);
  assert.ok(Math.abs((monitor.latest().runner?.growthMbPerHour ?? 0) - 24) < 1e-6);
});

test('a restarted monitor does not re-raise an open alert, and recovers it once', async () => {
  const first = new TrendMonitor({ store: new HistoryStore(fx.db), logger: capturedLogger().logger, trend, emergencyMb: 500 });
  await feedRuns(first, 30, (i) => 100 + 2 * i);
  assert.equal((await alertRows()).length, 1);

  const restarted = new TrendMonitor({ store: new HistoryStore(fx.db), logger: capturedLogger().logger, trend: { ...trend, window: 20 }, emergencyMb: 500 });
  await feedRuns(restarted, 5, (i) => 100 + 2 * i, 30);
  assert.equal((await alertRows()).length, 1, 'still growing after restart: no second alert');
  await feedRuns(restarted, 40, () => 160, 35); // the leak stops
  assert.deepEqual((await alertRows()).map((a) => `${a.level}/${a.kind}`), ['warning/trend-growth', 'info/trend-growth']);
});

test('the supervisor series above criticalMb raises one critical alert with no run id', async () => {
  const monitor = new TrendMonitor({ store: new HistoryStore(fx.db), logger: capturedLogger().logger, trend, emergencyMb: 500 });
  for (let i = 0; i < 5; i++) {
    await fx.insertSample({ atMs: T0 + i * 60_000, source: 'supervisor', mb: 510 + i });
    await monitor.onSelfSample();
  }
  assert.deepEqual(await alertRows(), [{ level: 'critical', kind: 'supervisor-trend-absolute', run_id: null }]);
  assert.equal(monitor.latest().supervisor?.currentMb, 514);
  assert.equal(monitor.latest().runner, undefined);
});

test('skipped and still-running runs are not part of the runner series', async () => {
  const monitor = new TrendMonitor({ store: new HistoryStore(fx.db), logger: capturedLogger().logger, trend, emergencyMb: 500 });
  await fx.insertRun({ startedAtMs: T0, peakMb: 100 });
  await fx.insertRun({ startedAtMs: T0 + TICK, status: 'skipped', peakMb: null });
  const running = await fx.insertRun({ startedAtMs: T0 + 2 * TICK, status: 'running', peakMb: 900 });
  await monitor.onRunFinished(running);
  assert.equal(monitor.latest().runner?.points, 1);
  assert.equal(monitor.latest().runner?.currentMb, 100);
});

test('concurrent calls are serialised: two quick evaluations never raise the same alert twice', async () => {
  const monitor = new TrendMonitor({ store: new HistoryStore(fx.db), logger: capturedLogger().logger, trend, emergencyMb: 500 });
  const id = await fx.insertRun({ startedAtMs: T0, peakMb: 700 });
  await Promise.all([monitor.onRunFinished(id), monitor.onRunFinished(id), monitor.onRunFinished(id)]);
  assert.deepEqual((await alertRows()).map((a) => a.kind), ['trend-absolute']);
});
