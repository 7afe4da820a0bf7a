import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { pruneHistory, startRetention } from '../../../supervisor/history/retention.ts';
import { readJournalReceived, writeWorklistChanges } from '../../../supervisor/history/worklist-changes.ts';
import { capturedLogger } from '../../helpers/captured-logger.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const retention = { samplesDays: 30, runsDays: 365 };

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function count(table: string): Promise<number> {
  return (await fx.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? -1;
}

// One run per `ageDays`, each with `samples` runner samples, plus a supervisor sample per day.
async function seed(ages: readonly number[], samples: number): Promise<void> {
  await fx.db.transaction(async () => {
    for (const age of ages) {
      const at = NOW - age * DAY;
      const runId = await fx.insertRun({ startedAtMs: at, peakMb: 120 });
      for (let i = 0; i < samples; i++) await fx.insertSample({ atMs: at + i * 100, source: 'runner', mb: 100, runId });
      await fx.insertSample({ atMs: at, source: 'supervisor', mb: 60 });
      await fx.insertAlert({ atMs: at, level: 'warning', kind: 'memory-warn', message: 'x', runId });
    }
  });
}

test('samples older than samplesDays go, their runs stay; runs and alerts older than runsDays go', async () => {
  await seed([1, 10, 29, 31, 100, 364, 366, 400], 12);
  const result = await pruneHistory(fx.db, retention, NOW, { batchSize: 5 });
  // Kept samples: ages 1, 10, 29 → 3 × (12 runner + 1 supervisor).
  assert.deepEqual(result, { samplesDeleted: 5 * 13, runsDeleted: 2, alertsDeleted: 2, deliveriesDeleted: 0, snapshotsDeleted: 0 });
  assert.equal(await count('memory_history'), 3 * 13);
  assert.equal(await count('runs'), 6);
  const orphanSamples = await fx.db.get<{ n: number }>('SELECT count(*) AS n FROM memory_history m LEFT JOIN runs r ON r.id = m.run_id WHERE m.run_id IS NOT NULL AND r.id IS NULL');
  assert.equal(orphanSamples?.n, 0, 'per-run summaries outlive their samples, never the reverse');
  assert.deepEqual(await pruneHistory(fx.db, retention, NOW), { samplesDeleted: 0, runsDeleted: 0, alertsDeleted: 0, deliveriesDeleted: 0, snapshotsDeleted: 0 });
});

test('the outbox rows of a pruned alert go with it, whatever their state; a kept alert keeps its rows', async () => {
  await fx.insertAlert({ atMs: NOW - 400 * DAY, level: 'critical', kind: 'memory-emergency', message: 'old' });
  await fx.insertAlert({ atMs: NOW - DAY, level: 'critical', kind: 'memory-emergency', message: 'new' });
  const [oldAlert, newAlert] = (await fx.db.all<{ id: number }>('SELECT id FROM alerts ORDER BY at_ms')).map((r) => r.id);
  assert.ok(oldAlert !== undefined && newAlert !== undefined);
  for (const [alertId, sink, state] of [[oldAlert, 'hook', 'pending'], [oldAlert, 'mail', 'failed'], [newAlert, 'hook', 'delivered']] as const) {
    await fx.db.run('INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, ?, 0, 0)', [alertId, sink, `${alertId}/${sink}`, state]);
  }
  const result = await pruneHistory(fx.db, retention, NOW);
  assert.equal(result.deliveriesDeleted, 2);
  assert.equal(result.alertsDeleted, 1);
  assert.deepEqual(await fx.db.all('SELECT alert_id, sink FROM alert_deliveries'), [{ alert_id: newAlert, sink: 'hook' }]);
});

test('a run still marked running is never pruned, however old', async () => {
  await fx.insertRun({ startedAtMs: NOW - 500 * DAY, status: 'running' });
  await pruneHistory(fx.db, retention, NOW);
  assert.equal(await count('runs'), 1);
});

test('samplesDays longer than runsDays still never leaves samples without their run', async () => {
  await seed([50, 100], 3);
  const result = await pruneHistory(fx.db, { samplesDays: 365, runsDays: 60 }, NOW);
  assert.equal(result.runsDeleted, 1);
  assert.equal(result.samplesDeleted, 4);
});

test('an aborted prune stops between batches', async () => {
  await seed([40, 41, 42], 10);
  const controller = new AbortController();
  controller.abort();
  const result = await pruneHistory(fx.db, retention, NOW, { batchSize: 2, signal: controller.signal });
  assert.equal(result.samplesDeleted, 0);
});

test('startRetention prunes at startup, logs it, and its timer is released on abort', async () => {
  await seed([40], 5);
  const { logger, entries } = capturedLogger();
  const controller = new AbortController();
  await startRetention({ db: () => fx.db, retention, logger, signal: controller.signal, now: () => NOW });
  assert.equal(await count('memory_history'), 0);
  assert.match(entries.at(-1)?.message ?? '', /^history pruned \(startup\): 6 samples, 0 runs, 0 alerts \(0 deliveries\), 0 trend snapshots in \d+ ms$/);
  controller.abort();
});

test('a failing prune is logged, not thrown', async () => {
  const { logger, entries } = capturedLogger();
  const controller = new AbortController();
  const closed = await Database.open(fx.path);
  await closed.close();
  await startRetention({ db: () => closed, retention, logger, signal: controller.signal, now: () => NOW });
  controller.abort();
  assert.equal(entries.at(-1)?.level, 'error');
  assert.match(entries.at(-1)?.message ?? '', /history prune \(startup\) failed: .*the next prune retries/);
});

test('worklist status changes and their journal watermarks outlive every retention window: they are the audit record', async () => {
  const old = NOW - 400 * DAY;
  const change = (seq: number) => ({
    journalId: 'j', seq, rowId: seq, patientId: null, fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: 'expired' as const, source: 's', record: 'r', instance: null, runId: null, atMs: old,
  });
  await writeWorklistChanges(fx.db, [change(1), change(2)], old);
  await seed([400], 1);
  const result = await pruneHistory(fx.db, retention, NOW);
  assert.equal(result.runsDeleted, 1, 'the old run went');
  assert.equal(await count('worklist_changes'), 2);
  assert.deepEqual(await readJournalReceived(fx.db), { j: 2 });
});
