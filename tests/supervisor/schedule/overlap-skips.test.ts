import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger, type Logger } from '../../../shared/logger.ts';
import { openHistoryForWrite } from '../../../supervisor/history/open-history.ts';
import { HistoryStore } from '../../../supervisor/history/store.ts';
import { LiveState } from '../../../supervisor/live-state.ts';
import { OverlapSkips } from '../../../supervisor/schedule/overlap-skips.ts';
import { capturedLogger } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

async function setUp() {
  const db = await openHistoryForWrite(join(await tempDir(), 'history.db'));
  const { logger, lines } = capturedLogger();
  const overlaps = new OverlapSkips({ live: new LiveState(0), logger, command: 'node runner.js' });
  return { db, store: new HistoryStore(db, { logger }), logger, lines, overlaps };
}

test('each overlap is a skipped row with its own run id and one warning; settled() waits for every write', async () => {
  const { db, store, logger, lines, overlaps } = await setUp();
  const outcomes = [overlaps.record(store, 1000), overlaps.record(store, 2000)];
  await overlaps.settled();
  await store.writesSettled();
  const rows = await db.all<{ id: number; status: string; reason: string; tick_at_ms: number }>('SELECT id, status, reason, tick_at_ms FROM runs ORDER BY id');
  assert.deepEqual(rows.map((r) => [r.status, r.reason, r.tick_at_ms]), [['skipped', 'overlap', 1000], ['skipped', 'overlap', 2000]]);
  assert.deepEqual((await Promise.all(outcomes)).map((o) => [o.status, o.lastRunId]), [['skipped', rows[0]?.id], ['skipped', rows[1]?.id]]);
  await closeLogger(logger);
  assert.equal(lines.filter((l) => /tick skipped: the previous run is still going \(overlap\)/.test(l)).length, 2);
  await db.close();
});

test('the row is written before the warning is logged, so a reader of the log finds it in the history', async () => {
  const db = await openHistoryForWrite(join(await tempDir(), 'history.db'));
  const order: string[] = [];
  class RecordingStore extends HistoryStore {
    override async recordSkipped(run: Parameters<HistoryStore['recordSkipped']>[0]): Promise<number> {
      const id = await super.recordSkipped(run);
      order.push('row');
      return id;
    }
  }
  const logger = { warn: () => order.push('warning'), error: () => order.push('error') } as unknown as Logger;
  const overlaps = new OverlapSkips({ live: new LiveState(0), logger, command: 'node runner.js' });
  await overlaps.record(new RecordingStore(db), 1000);
  assert.deepEqual(order, ['row', 'warning']);
  await db.close();
});

test('a skip that cannot be written is logged as an error and still answers "skipped", with its id', async () => {
  const { db, store, logger, lines, overlaps } = await setUp();
  await store.writesSettled();
  await db.close();
  const outcome = await overlaps.record(store, 1000);
  await overlaps.settled();
  await store.writesSettled();
  assert.equal(outcome.status, 'skipped');
  assert.equal(typeof outcome.lastRunId, 'number');
  await closeLogger(logger);
  assert.ok(lines.some((l) => /a history write \(run rows\) was refused by history\.db and dropped/.test(l)), lines.join('\n'));
});
