import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../../shared/errors/app-error.ts';
import { closeLogger } from '../../../shared/logger.ts';
import { createStatusPlugin } from '../../../supervisor/status/status-plugin.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { capturedLogger, fixtureConfig } from '../../helpers/harness.ts';
import { http, startWithStatus } from '../../helpers/status-server.ts';

const TOKEN = 'a-long-status-token-0123456789';
const env = { SYNC_STATUS_TOKEN: TOKEN };
const status = { tokenEnv: 'SYNC_STATUS_TOKEN' };

test('with a token: none → 401 with a challenge, wrong → 401, right → 200 on every endpoint', async () => {
  const h = await startWithStatus('ok-runner.mjs', [], { status }, { env });
  assert.ok(h.lines.some((l) => l.includes(`status server listening on ${h.base} (bearer token required)`)));
  assert.ok(!h.lines.some((l) => l.includes(TOKEN)), 'the token never reaches the log');
  for (const path of ['/', '/memory-status', '/live-points', '/metrics', '/healthz']) {
    const none = await http(`${h.base}${path}`);
    assert.equal(none.status, 401, path);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="sync-supervisor"');
    const wrong = await http(`${h.base}${path}`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.status, 401, path);
    assert.match(String(wrong.headers['www-authenticate']), /error="invalid_token"/);
    assert.equal((await http(`${h.base}${path}`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status, 401, `${path} basic auth`);
    const right = await http(`${h.base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(right.status, 200, path);
  }
});

test('the dashboard page accepts ?token=, the data endpoints do not (the page sends a header instead)', async () => {
  const h = await startWithStatus('ok-runner.mjs', [], { status }, { env });
  const page = await http(`${h.base}/?token=${encodeURIComponent(TOKEN)}`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>sync-supervisor status<\/title>/);
  assert.equal((await http(`${h.base}/?token=nope`)).status, 401);
  assert.equal((await http(`${h.base}/memory-status?token=${encodeURIComponent(TOKEN)}`)).status, 401);
});

test('tokenEnv naming an unset or empty variable refuses to start with CONFIG_INVALID, and frees the lock', async () => {
  for (const badEnv of [{}, { SYNC_STATUS_TOKEN: '  ' }]) {
    const config = await fixtureConfig('ok-runner.mjs', [], { status: { port: 0, ...status } });
    const { logger } = capturedLogger();
    const supervisor = new Supervisor({ config, logger, plugins: [createStatusPlugin({ env: badEnv })] });
    const error: unknown = await supervisor.start().then(() => undefined, (e: unknown) => e);
    assert.ok(isAppError(error), String(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.exitCode, 5);
    assert.match(error.message, /status\.tokenEnv: expected the environment variable SYNC_STATUS_TOKEN/);
    assert.match(error.hint, /Set SYNC_STATUS_TOKEN/);
    // The lock was released: a second supervisor on the same data dir starts.
    const again = new Supervisor({ config, logger, plugins: [createStatusPlugin({ env })] });
    await again.start();
    await again.stop();
    await closeLogger(logger);
  }
});

test('status.port absent: the plugin stays off', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const { logger, lines } = capturedLogger();
  const plugin = createStatusPlugin({ env: {} });
  const supervisor = new Supervisor({ config, logger, plugins: [plugin] });
  await supervisor.start();
  assert.equal(plugin.address(), undefined);
  await supervisor.stop();
  await closeLogger(logger);
  assert.ok(!lines.some((l) => l.includes('status server')));
});
