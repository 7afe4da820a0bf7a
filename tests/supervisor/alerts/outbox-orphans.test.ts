// A pending delivery whose alert row was deleted (by hand, or a tool with foreign keys off) once made the worker wake
// in a tight loop: nextDueAt saw the row, dueDeliveries (which JOINs alerts) never returned it. Now both agree, and
// the worker deletes such rows when it starts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { DeliveryWorker } from '../../../supervisor/alerts/delivery-worker.ts';
import { deliveryCounts, nextDueAt } from '../../../supervisor/history/outbox.ts';
import { createLogger } from '../../../shared/logger.ts';
import { PassThrough } from 'node:stream';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

/** A pending row, due long ago, for an alert id that has no row. */
const insertOrphan = (db: HistoryFixture['db']) =>
  db.run("INSERT INTO alert_deliveries (alert_id, sink, idempotency_key, state, next_attempt_at_ms, created_at_ms) VALUES (999, 'hook', 'orphan/hook', 'pending', 0, 0)");

test('nextDueAt and deliveryCounts ignore a pending row whose alert is gone, as dueDeliveries does', async () => {
  await insertOrphan(fx.db);
  assert.equal(await nextDueAt(fx.db), undefined);
  assert.deepEqual(await deliveryCounts(fx.db), { pending: 0, failed: 0 });
});

test('the worker deletes the orphan at start and then sleeps until a nudge instead of waking at once', async () => {
  await insertOrphan(fx.db);
  const waits: Array<number | undefined> = [];
  let firstIdle: () => void = () => undefined;
  const idle = new Promise<void>((resolve) => (firstIdle = resolve));
  const log = new PassThrough();
  const lines: string[] = [];
  log.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const worker = new DeliveryWorker({
    db: () => fx.db, sinks: new Map(), retry: { backoffMs: 1000, backoffMaxMs: 1000, maxAttempts: 3, maxAgeMs: 60_000 }, timeoutMs: 1000,
    logger: createLogger({ level: 'debug', consoleStream: log }), secrets: [], now: () => 1_000_000,
    history: (args) => `history ${args.join(' ')}`,
    onIdle: (waitMs) => {
      waits.push(waitMs);
      firstIdle();
    },
  });
  worker.start();
  await idle;
  await worker.stop(0);
  // One turn of the loop, then a wait with no timer (nothing is due); the spinning worker waited 0 ms, turn after turn.
  assert.deepEqual(waits, [undefined]);
  const left = await fx.db.get<{ n: number }>('SELECT count(*) AS n FROM alert_deliveries');
  assert.equal(left?.n, 0);
  assert.match(lines.join(''), /deleted 1 deliveries whose alert row was gone/);
});
