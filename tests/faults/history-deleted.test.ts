// Fault: history.db deleted while the supervisor runs. SQLite keeps writing into the unlinked file, so without a
// check everything after is lost to operators; the supervisor must notice, open a new history.db at the same path,
// say so in the log and in an alert there, and carry on (the run in flight included), with no crash or warning.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../shared/logger.ts';
import { Database } from '../../shared/sqlite.ts';
import { createAlertDeliveryPlugin } from '../../supervisor/alerts/delivery-plugin.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { alertKindEntry } from '../../supervisor/vocabulary/alert-catalogue.ts';
import { startAlertReceiver } from '../fixtures/alert-receiver.ts';
import { capturedLogger, fixtureConfig, readHistory } from '../helpers/harness.ts';

const REOPENED = /history\.db was deleted or replaced while running; reopened a new one at (\S+)/;

async function deleteHistory(dataDir: string): Promise<string> {
  const path = join(dataDir, 'history.db');
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`)));
  return path;
}

test('history.db deleted between ticks: the next run lands in a new history.db with a warning and an alert', async () => {
  const config = await fixtureConfig('ok-runner.mjs', [], { restart: { maxAttempts: 1 } });
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  try {
    assert.equal((await supervisor.triggerTick()).status, 'ok');
    const path = await deleteHistory(config.dataDir);
    const second = await supervisor.triggerTick();
    assert.deepEqual([second.status, second.lastRunId], ['ok', 2], 'run ids carry on from the lost file');
    const warning = lines.find((l) => REOPENED.test(l));
    assert.ok(warning?.includes('warn'), lines.join('\n'));
    assert.equal(REOPENED.exec(warning ?? '')?.[1], path);
  } finally {
    await supervisor.stop();
    await closeLogger(logger);
  }
  const { runs, alerts } = await readHistory(config.dataDir);
  assert.deepEqual(runs.map((r) => [r.id, r.status]), [[2, 'ok']]);
  const reopened = alerts.filter((a) => a.kind === 'history-reopened');
  assert.equal(reopened.length, 1, JSON.stringify(alerts));
  assert.equal(reopened[0]?.level, 'warning');
  assert.match(reopened[0]?.message ?? '', REOPENED);
  assert.equal(supervisor.state, 'stopped');
});

// The timeout only turns "the check never came" into a failure instead of a hang; the check comes within a second.
test('history.db deleted while a run is in flight: its row is written again in the new file and closed there', { timeout: 30_000 }, async (t) => {
  const config = await fixtureConfig('hang.mjs', [], { restart: { maxAttempts: 1 } });
  const { logger, waitFor } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  t.after(() => supervisor.stop().then(() => closeLogger(logger)));
  await supervisor.start();
  const tick = supervisor.triggerTick();
  const pid = Number(/run 1 started \(attempt 1\), pid (\d+)/.exec(await waitFor(/run 1 started \(attempt 1\), pid \d+/))?.[1]);
  await deleteHistory(config.dataDir);
  // No tick comes to look: the store's own once-a-second check must find the loss.
  assert.match(await waitFor(REOPENED), /run 1 still going is recorded here again/);
  await supervisor.stop();
  assert.equal((await tick).status, 'interrupted');
  const { runs, alerts } = await readHistory(config.dataDir);
  assert.deepEqual(runs.map((r) => [r.id, r.status, r.reason, r.pid]), [[1, 'interrupted', 'shutdown', pid]]);
  assert.deepEqual(alerts.filter((a) => a.kind === 'history-reopened').map((a) => a.level), ['warning']);
});

// The reopen's alert is raised like every other (alerts/raise.ts): its log line carries the kind at the catalogue's
// level, and a sink that takes it is nudged when its row lands in the new file. It was once written by the store
// itself, untagged and without the nudge, so it waited for the delivery worker's 30 s poll: the timeout turns that
// wait into a failure.
test('history.db deleted: the history-reopened alert is logged at its level and delivered to its sink at once', { timeout: 15_000 }, async (t) => {
  const receiver = await startAlertReceiver();
  t.after(() => receiver.close());
  const config = await fixtureConfig('ok-runner.mjs', [], { alerts: { webhooks: [{ url: `${receiver.origin}/hook`, kinds: ['history-reopened'] }] } });
  const { logger, waitFor } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, plugins: [createAlertDeliveryPlugin({ env: {} })] });
  t.after(() => supervisor.stop().then(() => closeLogger(logger)));
  await supervisor.start();
  await deleteHistory(config.dataDir);
  // No tick and no other alert: the store's once-a-second check finds the loss, and nothing else wakes the worker.
  const line = await waitFor(REOPENED);
  assert.equal(alertKindEntry('history-reopened').severity, 'warning');
  assert.match(line, /^\S+ warn {2}history\.db was deleted .* alert=history-reopened$/, line);
  const request = await receiver.waitFor((r) => JSON.parse(r.body).kind === 'history-reopened');
  const body = JSON.parse(request.body);
  assert.equal(body.severity, alertKindEntry('history-reopened').severity);
  assert.match(body.message, REOPENED);
  await supervisor.stop();
  const db = await Database.open(join(config.dataDir, 'history.db'), { readonly: true });
  const deliveries = await db.all<{ kind: string; state: string }>('SELECT a.kind, d.state FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id');
  await db.close();
  assert.deepEqual(deliveries, [{ kind: 'history-reopened', state: 'delivered' }], 'the row is in the new file, delivered');
});
