// Fault: the webhook receiver is down when a runner is killed for memory, and the supervisor is SIGKILLed while the
// delivery waits to be retried. A new supervisor on the same data dir must deliver the alert once the receiver is
// back: exactly once, with the idempotency key it was written with.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Database } from '../../shared/sqlite.ts';
import { startAlertReceiver } from '../fixtures/alert-receiver.ts';
import { fixture } from '../helpers/harness.ts';
import { spawnSupervisor } from '../helpers/spawn-supervisor.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const processEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });

test('an alert raised while the receiver is down arrives after a supervisor SIGKILL and restart, exactly once', { timeout: 120_000 }, async () => {
  const receiver = await startAlertReceiver();
  after(() => receiver.close());
  await receiver.close();
  const dir = await tempDir();
  const configPath = join(dir, 'supervisor.json');
  await writeFile(configPath, JSON.stringify({
    schedule: { everyMs: 3_600_000 },
    runner: { command: process.execPath, args: [fixture('leak.mjs'), '200'] },
    memory: { warnMb: 90, emergencyMb: 150, graceMs: 1000 },
    restart: { maxAttempts: 1 },
    dataDir: join(dir, 'data'),
    alerts: { webhooks: [{ name: 'pager', url: `${receiver.origin}/hook`, kinds: ['memory-emergency'] }], retry: { backoffMs: 1000, backoffMaxMs: 1000 } },
  }));

  const first = spawnSupervisor(['--config', configPath], { cwd: dir, env: processEnv() });
  await first.waitFor(/runner killed: tree RSS/);
  await first.waitFor(/cannot deliver alert memory-emergency .* sink pager, attempt 1: request failed: ECONNREFUSED/);
  first.child.kill('SIGKILL');
  await first.exited();

  const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
  const left = await db.all<{ state: string; attempts: number; idempotency_key: string }>('SELECT state, attempts, idempotency_key FROM alert_deliveries');
  await db.close();
  assert.equal(left.length, 1);
  assert.equal(left[0]?.state, 'pending', 'the dead supervisor left the delivery pending');
  const key = left[0]?.idempotency_key ?? '';

  await receiver.open();
  // No run at start: the only memory-emergency the receiver can get is the one the dead supervisor raised.
  await writeFile(configPath, JSON.stringify({ ...JSON.parse(await readFile(configPath, 'utf8')), runOnStart: false }));
  const second = spawnSupervisor(['--config', configPath], { cwd: dir, env: processEnv() });
  const request = await receiver.waitFor((r) => r.path === '/hook');
  assert.equal(request.headers['idempotency-key'], key);
  assert.equal(JSON.parse(request.body).kind, 'memory-emergency');
  second.child.kill('SIGTERM');
  const { code } = await second.exited();
  assert.equal(code, 0, second.output());

  assert.equal(receiver.requests.filter((r) => r.headers['idempotency-key'] === key).length, 1, 'delivered exactly once');
  assert.equal(receiver.requests.length, 1);
  const reread = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
  const rows = await reread.all<{ state: string; attempts: number; delivered_at_ms: number | null }>('SELECT state, attempts, delivered_at_ms FROM alert_deliveries');
  await reread.close();
  assert.equal(rows[0]?.state, 'delivered');
  assert.ok((rows[0]?.attempts ?? 0) >= 2, `attempts ${rows[0]?.attempts}`);
});
