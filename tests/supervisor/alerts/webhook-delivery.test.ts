// End to end in-process: a real leaking child is killed, and a real HTTP receiver on 127.0.0.1 gets the alert.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createAlertDeliveryPlugin } from '../../../supervisor/alerts/delivery-plugin.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { closeLogger } from '../../../shared/logger.ts';
import { startAlertReceiver } from '../../fixtures/alert-receiver.ts';
import { capturedLogger, fixtureConfig, readHistory } from '../../helpers/harness.ts';
import { Database } from '../../../shared/sqlite.ts';
import { join } from 'node:path';

const memory = { warnMb: 90, emergencyMb: 150, graceMs: 1000 };
const TOKEN = 'hook-token-0123456789abcdef';

test('a memory kill of a leaking child is POSTed to a webhook with its kind, severity, run, RSS, limits and host', async () => {
  const receiver = await startAlertReceiver();
  after(() => receiver.close());
  const config = await fixtureConfig('leak.mjs', ['200'], {
    memory, restart: { maxAttempts: 1 },
    alerts: { webhooks: [{ url: `${receiver.origin}/hook`, headers: { Authorization: { env: 'HOOK_TOKEN' } }, kinds: ['memory-emergency', 'attempts-exhausted'] }] },
  });
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, plugins: [createAlertDeliveryPlugin({ env: { HOOK_TOKEN: TOKEN }, drainMs: 60_000 })] });
  await supervisor.start();
  const outcome = await supervisor.triggerTick();
  assert.equal(outcome.status, 'killed');
  const request = await receiver.waitFor((r) => JSON.parse(r.body).kind === 'memory-emergency');
  await receiver.waitFor((r) => JSON.parse(r.body).kind === 'attempts-exhausted');
  await supervisor.stop();
  await closeLogger(logger);

  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/hook');
  assert.equal(request.headers.authorization, TOKEN);
  assert.equal(request.headers['content-type'], 'application/json');
  const body = JSON.parse(request.body);
  assert.equal(request.headers['idempotency-key'], body.id);
  assert.equal(body.severity, 'critical');
  assert.equal(body.runId, outcome.lastRunId);
  assert.ok(body.rssMb >= 150, `rssMb ${body.rssMb}`);
  assert.deepEqual(body.limits, { warnMb: 90, emergencyMb: 150, hardLimitMb: 225, graceMs: 1000, timeoutMs: 600000 });
  assert.equal(typeof body.host, 'string');
  assert.ok(Date.parse(body.raisedAt) > 0 && typeof body.raisedAtMs === 'number');
  assert.match(body.text, /^\[critical\] memory-emergency on .+: runner killed/);
  assert.ok(body.action.includes(`\`${process.execPath} `) && body.action.includes(`history run ${outcome.lastRunId} --data-dir ${config.dataDir}`), body.action);

  const { alerts } = await readHistory(config.dataDir);
  const db = await Database.open(join(config.dataDir, 'history.db'), { readonly: true });
  const deliveries = await db.all<{ sink: string; state: string; attempts: number; alert_id: number }>('SELECT sink, state, attempts, alert_id FROM alert_deliveries ORDER BY id');
  await db.close();
  // Only the kinds the sink asked for got outbox rows: the kill and the give-up, not the warning or the start.
  assert.deepEqual(deliveries.map((d) => [d.sink, d.state]), [['webhook-1', 'delivered'], ['webhook-1', 'delivered']]);
  assert.equal(receiver.requests.length, 2);
  assert.ok(alerts.some((a) => a.kind === 'memory-warn'));
  assert.ok(!lines.some((l) => l.includes(TOKEN)), 'the token never reaches the log');
});

test('a webhook that never answers does not delay the kill: the run is recorded killed while the sink hangs', async () => {
  const receiver = await startAlertReceiver();
  receiver.hang(true);
  after(() => receiver.close());
  const config = await fixtureConfig('leak.mjs', ['200'], {
    memory, restart: { maxAttempts: 1 },
    // memory-warn comes first, so the hanging request is already holding the sink when the kill happens.
    alerts: { webhooks: [{ url: `${receiver.origin}/hook` }], timeoutMs: 60_000 },
  });
  const { logger } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, plugins: [createAlertDeliveryPlugin({ env: {} })] });
  await supervisor.start();
  const started = performance.now();
  const outcome = await supervisor.triggerTick();
  const tickMs = performance.now() - started;
  assert.equal(outcome.status, 'killed');
  await receiver.waitFor((r) => r.body.includes('"memory-emergency"'));
  const { runs } = await readHistory(config.dataDir);
  assert.equal(runs.at(-1)?.status, 'killed', 'the kill is in the history while the receiver still holds the requests');
  // 150 MB at 200 MB/s is under a second; the 60 s sink timeout played no part.
  assert.ok(tickMs < 10_000, `tick took ${tickMs} ms`);
  const stopStarted = performance.now();
  await supervisor.stop();
  assert.ok(performance.now() - stopStarted < 8000, 'a stop waits for a hanging sink only its bounded drain time');
  await closeLogger(logger);
  const db = await Database.open(join(config.dataDir, 'history.db'), { readonly: true });
  const states = await db.all<{ state: string }>("SELECT state FROM alert_deliveries WHERE state != 'pending'");
  const cut = await db.all<{ last_error: string | null }>('SELECT last_error FROM alert_deliveries WHERE attempts > 0');
  await db.close();
  assert.deepEqual(states, [], 'cut attempts stay pending for the next start');
  assert.ok(cut.length > 0 && cut.every((row) => /cut short by the supervisor's stop/.test(row.last_error ?? '')), `a cut is recorded as the stop's doing, not the sink's: ${JSON.stringify(cut)}`);
});
