// End to end in-process with a real leaking child: a command sink, healthcheck pings and mail through a local SMTP server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createAlertDeliveryPlugin } from '../../../supervisor/alerts/delivery-plugin.ts';
import { createHealthcheckPlugin } from '../../../supervisor/alerts/healthcheck-plugin.ts';
import { startAlertReceiver } from '../../fixtures/alert-receiver.ts';
import { fixture, fixtureConfig, superviseOnce } from '../../helpers/harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const memory = { warnMb: 90, emergencyMb: 150, graceMs: 1000 };

test('a command sink runs the program with the alert in SYNC_ALERT_* variables and no supervisor secrets', async () => {
  const out = join(await tempDir(), 'alerts.jsonl');
  const config = await fixtureConfig('leak.mjs', ['200'], {
    memory, restart: { maxAttempts: 1 },
    alerts: { commands: [{ command: process.execPath, args: [fixture('alert-env-to-file.mjs'), out], kinds: ['memory-emergency'] }] },
  });
  const { outcome } = await superviseOnce(config, [createAlertDeliveryPlugin({ env: { PATH: process.env.PATH, SYNC_STATUS_TOKEN: 'status-secret-123456', REDCAP_API_TOKEN: 'x'.repeat(32) }, drainMs: 60_000 })]);
  assert.equal(outcome.status, 'killed');
  const envs = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
  assert.equal(envs.length, 1);
  const env = envs[0] ?? {};
  assert.equal(env.SYNC_ALERT_KIND, 'memory-emergency');
  assert.equal(env.SYNC_ALERT_SEVERITY, 'critical');
  assert.equal(env.SYNC_ALERT_RUN_ID, String(outcome.lastRunId));
  assert.ok(Number(env.SYNC_ALERT_RSS_MB) >= 150);
  assert.equal(env.SYNC_ALERT_EMERGENCY_MB, '150');
  assert.equal(env.SYNC_ALERT_WARN_MB, '90');
  assert.match(env.SYNC_ALERT_MESSAGE ?? '', /^runner killed/);
  assert.equal(JSON.parse(env.SYNC_ALERT_JSON ?? '{}').id, env.SYNC_ALERT_ID);
  assert.equal(env.SYNC_STATUS_TOKEN, undefined, 'the status token stays with the supervisor');
  assert.equal(env.REDCAP_API_TOKEN, undefined, 'the REDCap token stays with the runner');
});

test('healthcheck pings: /start and the plain URL for an ok run, /start and /fail with a summary for a kill, paired by rid', async () => {
  const receiver = await startAlertReceiver();
  after(() => receiver.close());
  const alerts = { healthcheck: { url: { env: 'HC_URL' } } };
  const env = { HC_URL: `${receiver.origin}/ping/0f3c` };
  const ok = await fixtureConfig('ok-runner.mjs', [], { alerts });
  assert.equal((await superviseOnce(ok, [createHealthcheckPlugin({ env })])).outcome.status, 'ok');
  const killed = await fixtureConfig('leak.mjs', ['200'], { memory, restart: { maxAttempts: 1 }, alerts });
  assert.equal((await superviseOnce(killed, [createHealthcheckPlugin({ env })])).outcome.status, 'killed');

  const pings = receiver.requests.map((r) => ({ method: r.method, path: r.path, rid: r.query.get('rid'), body: r.body }));
  assert.deepEqual(pings.map((p) => `${p.method} ${p.path}`), ['GET /ping/0f3c/start', 'GET /ping/0f3c', 'GET /ping/0f3c/start', 'POST /ping/0f3c/fail']);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  for (const p of pings) assert.match(p.rid ?? '', uuid);
  assert.equal(pings[0]?.rid, pings[1]?.rid);
  assert.equal(pings[2]?.rid, pings[3]?.rid);
  assert.notEqual(pings[0]?.rid, pings[2]?.rid);
  assert.match(pings[3]?.body ?? '', /^sync-supervisor run \d+ killed \(memory\): signal SIG\w+, peak tree RSS [\d.]+ MB/);
});

test('mail goes through a local SMTP server with AUTH, the password from the environment', async () => {
  const received: Array<{ from: string; to: string[]; data: string; user: string | undefined }> = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'alerts' && auth.password === 'smtp-password-123') return callback(null, { user: auth.username });
      callback(new Error('bad credentials'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8'), user: session.user });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const { port } = smtp.server.address() as AddressInfo;
  const config = await fixtureConfig('leak.mjs', ['200'], {
    memory, restart: { maxAttempts: 1 },
    alerts: { mail: { host: '127.0.0.1', port, from: 'sync@example.org', to: ['mri-ops@example.org'], userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD', kinds: ['memory-emergency'] } },
  });
  const { outcome, lines } = await superviseOnce(config, [createAlertDeliveryPlugin({ env: { SMTP_USER: 'alerts', SMTP_PASSWORD: 'smtp-password-123' }, drainMs: 60_000 })]);
  assert.equal(outcome.status, 'killed');
  assert.equal(received.length, 1, lines.join('\n'));
  const mail = received[0];
  assert.equal(mail?.user, 'alerts');
  assert.equal(mail?.from, 'sync@example.org');
  assert.deepEqual(mail?.to, ['mri-ops@example.org']);
  assert.match(mail?.data ?? '', /Subject: \[sync-supervisor\] critical memory-emergency on /);
  assert.match(mail?.data ?? '', /X-Sync-Alert-Id: [0-9a-f-]+\/mail/i);
  const key = /X-Sync-Alert-Id: ([0-9a-f-]+)\/mail/i.exec(mail?.data ?? '')?.[1];
  assert.match(mail?.data ?? '', new RegExp(`Message-ID: <${key}\\.mail@sync-supervisor>`, 'i'), 'the Message-ID comes from the idempotency key, the same on every attempt');
  assert.match(mail?.data ?? '', /runner killed: tree RSS/);
});
