import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runnerEnv } from '../../../supervisor/process/env-allow-list.ts';
import { closeLogger } from '../../../shared/logger.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { capturedLogger, fixture, fixtureConfig } from '../../helpers/harness.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('runnerEnv passes the allow-list only, then runner.env, then the protocol variables, each winning', () => {
  const supervisorEnv = {
    PATH: '/bin', HOME: '/home/s', LANG: 'C.UTF-8', LC_TIME: 'en_GB', TZ: 'Europe/Zurich', TMPDIR: '/tmp/s',
    REDCAP_API_URL: 'https://r/api/', REDCAP_API_TOKEN: 'T', NODE_EXTRA_CA_CERTS: '/ca.pem',
    SYNC_STATUS_TOKEN: 'secret', NODE_OPTIONS: '--require /evil.js', AWS_SECRET_ACCESS_KEY: 'x', SYNC_SUPERVISOR_RUN_ID: '7', UNSET: undefined,
  };
  const env = runnerEnv(supervisorEnv, { TZ: 'UTC', EXTRA: 'from config', SYNC_SUPERVISOR_RUN_ID: '8' }, { SYNC_SUPERVISOR_RUN_ID: '9' });
  assert.deepEqual(env, {
    PATH: '/bin', HOME: '/home/s', LANG: 'C.UTF-8', LC_TIME: 'en_GB', TZ: 'UTC', TMPDIR: '/tmp/s',
    REDCAP_API_URL: 'https://r/api/', REDCAP_API_TOKEN: 'T', NODE_EXTRA_CA_CERTS: '/ca.pem', EXTRA: 'from config', SYNC_SUPERVISOR_RUN_ID: '9',
  });
});

test('the runner sees REDCAP_* (also from .env) and runner.env, but not the status token or other secrets', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({
    runner: { command: process.execPath, args: [fixture('print-env-names.mjs')], env: { FROM_RUNNER_ENV: 'yes' } },
    dataDir: 'data', restart: { maxAttempts: 1 },
  }));
  await writeFile(join(dir, '.env'), 'REDCAP_API_TOKEN=0123456789ABCDEF0123456789ABCDEF\n');
  const env = {
    PATH: process.env.PATH, HOME: dir, REDCAP_API_URL: 'https://redcap.invalid/api/',
    SYNC_STATUS_TOKEN: 'status-secret', DATABASE_PASSWORD: 'db-secret', NODE_OPTIONS: '--max-old-space-size=300',
  };
  const sup = spawnSupervisor(['run-once', '--config', config], { cwd: dir, env });
  t.after(() => {
    if (sup.child.exitCode === null && sup.child.signalCode === null) sup.child.kill('SIGKILL');
  });
  const names = (await sup.waitFor(/ENV (\S+)/))[1]?.split(',') ?? [];
  assert.equal((await sup.exited()).code, 0, sup.output());
  for (const name of ['SYNC_STATUS_TOKEN', 'DATABASE_PASSWORD', 'NODE_OPTIONS']) {
    assert.ok(!names.includes(name), `the runner must not see ${name}: ${names.join(', ')}`);
  }
  for (const name of ['PATH', 'HOME', 'REDCAP_API_URL', 'REDCAP_API_TOKEN', 'FROM_RUNNER_ENV', 'SYNC_SUPERVISOR_RUN_ID', 'SYNC_SUPERVISOR_RUN_MARK']) {
    assert.ok(names.includes(name), `the runner should see ${name}: ${names.join(', ')}`);
  }
});

test('an environment handed to the Supervisor is the one the runner inherits from, not process.env', async () => {
  // A name this test process does not have, and one it has that the handed environment lacks: only the handed
  // environment decides (the CLI hands over process.env with .env loaded; a test or an embedder may hand another).
  assert.equal(process.env.REDCAP_HANDED_ONLY, undefined);
  const config = await fixtureConfig('print-env-names.mjs', [], { restart: { maxAttempts: 1 } });
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger, env: { PATH: process.env.PATH, REDCAP_HANDED_ONLY: 'yes' } });
  await supervisor.start();
  assert.equal((await supervisor.triggerTick()).status, 'ok');
  await supervisor.stop();
  await closeLogger(logger);
  const names = /ENV (\S+)/.exec(lines.join('\n'))?.[1]?.split(',') ?? [];
  assert.ok(names.includes('REDCAP_HANDED_ONLY'), `the runner inherits from the handed environment: ${names.join(', ')}`);
  assert.ok(!names.includes('HOME'), `HOME is in process.env, not in the handed environment: ${names.join(', ')}`);
});
