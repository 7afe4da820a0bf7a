// The real built bin and a local SMTP relay: a relay slower than alerts.timeoutMs never gets a second copy from a
// retry that overlaps an attempt still running, and a relay that echoes the credentials in its refusal never puts
// them (however short) in the log or in the outbox's last_error.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { startSmtpRelay } from '../../fixtures/smtp-relay.ts';
import { fixture } from '../../helpers/harness.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** A supervisor that raises only `supervisor-start`, mailed to the relay at `port`. */
async function mailingSupervisor(port: number, alerts: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = await tempDir();
  const configPath = join(dir, 'supervisor.json');
  await writeFile(configPath, JSON.stringify({
    schedule: { everyMs: 3_600_000 },
    runOnStart: false,
    runner: { command: process.execPath, args: [fixture('ok-runner.mjs')] },
    dataDir: join(dir, 'data'),
    alerts: { mail: { host: '127.0.0.1', port, from: 'sync@example.org', to: ['ops@example.org'], kinds: ['supervisor-start'] }, ...alerts },
  }));
  const supervisor = spawnSupervisor(['--config', configPath, '--log-level', 'debug'], { cwd: dir, built: true, env: { PATH: process.env.PATH ?? '', HOME: dir, ...env } });
  const deliveries = async () => {
    const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
    try {
      return await db.all<{ state: string; attempts: number; last_error: string | null }>('SELECT state, attempts, last_error FROM alert_deliveries');
    } finally {
      await db.close();
    }
  };
  return { supervisor, deliveries };
}

test('a relay slower than alerts.timeoutMs: each attempt is cut at its deadline and no retry overlaps it, so no mail is sent twice', { timeout: 60_000 }, async () => {
  // 4 steps of 600 ms: each under nodemailer's 1 s idle timeout, the whole exchange over the 1 s deadline.
  const relay = await startSmtpRelay({ stepDelayMs: 600 });
  after(() => relay.close());
  const { supervisor, deliveries } = await mailingSupervisor(relay.port, { timeoutMs: 1000, retry: { backoffMs: 1000, backoffMaxMs: 1000, maxAttempts: 3 } });
  await supervisor.waitFor(/gave up delivering alert supervisor-start .* to sink mail, attempt 3/);
  supervisor.child.kill('SIGTERM');
  const { code } = await supervisor.exited();
  assert.equal(code, 0, supervisor.output());

  // Each attempt was cut at its deadline, before the relay had the message: left running, every attempt went on
  // to the end while the next one started, and the relay accepted one copy per attempt.
  assert.equal(relay.accepted.length, 0, `the relay accepted ${relay.accepted.length} copies`);
  const [row] = await deliveries();
  assert.equal(row?.state, 'failed');
  assert.equal(row?.attempts, 3);
  assert.match(row?.last_error ?? '', /did not finish within 1000 ms \(alerts\.timeoutMs\).*raise alerts\.timeoutMs/);
});

test('a relay that echoes a short password and the SMTP user in its refusal: both are redacted from the log and last_error', { timeout: 60_000 }, async () => {
  const relay = await startSmtpRelay({ refuseAuthEchoing: true });
  after(() => relay.close());
  const { supervisor, deliveries } = await mailingSupervisor(relay.port, { mail: {
    host: '127.0.0.1', port: relay.port, from: 'sync@example.org', to: ['ops@example.org'], kinds: ['supervisor-start'], userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD',
  } }, { SMTP_USER: 'mri-alerts', SMTP_PASSWORD: 'pw7' });
  await supervisor.waitFor(/cannot deliver alert supervisor-start .* to sink mail, attempt 1: mail not sent: EAUTH/);
  supervisor.child.kill('SIGTERM');
  await supervisor.exited();
  const [row] = await deliveries();
  for (const text of [supervisor.output(), row?.last_error ?? '']) {
    assert.match(text, /Authentication failed for user \[redacted\] with password \[redacted\]/);
    assert.doesNotMatch(text, /mri-alerts|pw7/);
  }
});
