// When the delivery worker looks at the outbox: at the next due row however far off, at a nudge, at a stop, and only
// while the outbox cannot be read on a timer of its own. There is no poll: every outbox row is written by the
// process's own Alerts.raise, which nudges (tests/faults/history-deleted.test.ts covers the reopen's alert).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../../supervisor/alerts/delivery-worker.ts';
import { buildSinks } from '../../../supervisor/alerts/sinks/build-sinks.ts';
import { insertAlert } from '../../../supervisor/history/outbox.ts';
import { closeLogger } from '../../../shared/logger.ts';
import { Database } from '../../../shared/sqlite.ts';
import { startAlertReceiver } from '../../fixtures/alert-receiver.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';
import { capturedLogger, fixtureConfig } from '../../helpers/harness.ts';

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await createHistoryFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const NOW = 1_000_000;
const RETRY = { backoffMs: 1000, backoffMaxMs: 1000, maxAttempts: 3, maxAgeMs: 60_000 };

/** A worker whose idle waits the test reads in order; `idle(n)` resolves once the loop has gone idle n times. */
function watchedWorker(options: Partial<DeliveryWorkerOptions> = {}) {
  const { logger, lines } = capturedLogger();
  const waits: Array<number | undefined> = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const worker = new DeliveryWorker({
    db: () => fx.db, sinks: new Map(), retry: RETRY, timeoutMs: 5000, logger, secrets: [], now: () => NOW,
    history: (args) => `history ${args.join(' ')}`,
    ...options,
    onIdle: (waitMs) => {
      waits.push(waitMs);
      for (const w of [...waiters]) if (waits.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    },
  });
  const idle = (n: number) => (waits.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })));
  return { worker, waits, idle, lines, close: () => closeLogger(logger) };
}

const alert = { atMs: NOW, level: 'critical' as const, kind: 'memory-emergency', message: 'killed', value: null, runId: null };

test('a retry due in 10 minutes is waited for until then, not looked for again every 30 s', async () => {
  await insertAlert(fx.db, alert, [{ sink: 'hook', idempotencyKey: 'a/hook' }]);
  await fx.db.run('UPDATE alert_deliveries SET next_attempt_at_ms = ?', [NOW + 600_000]);
  const { worker, waits, idle, close } = watchedWorker();
  worker.start();
  await idle(1);
  await worker.stop(0);
  await close();
  assert.deepEqual(waits, [600_000]);
});

test('an alert written while the worker sleeps with nothing due is sent at its nudge', async (t) => {
  const receiver = await startAlertReceiver();
  t.after(() => receiver.close());
  const config = await fixtureConfig('ok-runner.mjs', [], { alerts: { webhooks: [{ url: `${receiver.origin}/hook` }] } });
  const { worker, waits, idle, close } = watchedWorker({ sinks: buildSinks(config.alerts, {}), now: Date.now });
  worker.start();
  await idle(1);
  assert.deepEqual(waits, [undefined], 'nothing due: no timer at all');
  await insertAlert(fx.db, { ...alert, atMs: Date.now() }, [{ sink: 'webhook-1', idempotencyKey: 'b/webhook-1' }]);
  worker.notify();
  const request = await receiver.waitFor(() => true);
  assert.equal(JSON.parse(request.body).kind, 'memory-emergency');
  await worker.stop(1000);
  await close();
  const row = await fx.db.get<{ state: string }>('SELECT state FROM alert_deliveries');
  assert.equal(row?.state, 'delivered');
});

test('an outbox that cannot be read is logged once and looked at again every 30 s, not in a loop and not never', async () => {
  const gone = await Database.open(fx.path);
  await gone.close();
  const { worker, waits, idle, lines, close } = watchedWorker({ db: () => gone });
  worker.start();
  await idle(1);
  await worker.stop(0);
  await close();
  assert.deepEqual(waits, [30_000]);
  assert.equal(lines.filter((l) => /alert delivery cannot read the outbox: .*; trying again every 30 s/.test(l)).length, 1, lines.join('\n'));
});
