// The real bin, spawned as an operator or cron runs it: settings that would quietly disarm the supervisor, or open
// its status server to the network, are refused by `check-config` (exit 5) with the key and the fix.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.ts';
import { cronEnv, runBin } from '../../helpers/spawn-bin.ts';

async function checkConfig(config: unknown, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = await tempDir();
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  const run = runBin(['check-config', '--config', file], { cwd: dir, env: cronEnv(dir, extraEnv) });
  const { code } = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

test('check-config: timer settings past 2^31 − 1 ms exit 5, each named with its maximum and why', async () => {
  const { code, stderr } = await checkConfig({ schedule: { everyMs: 3_000_000_000 }, run: { timeoutMs: 3_000_000_000 }, memory: { selfSampleIntervalMs: 3_000_000_000 } });
  assert.equal(code, 5, stderr);
  for (const key of ['schedule\\.everyMs', 'run\\.timeoutMs', 'memory\\.selfSampleIntervalMs']) {
    assert.match(stderr, new RegExp(`${key}: expected a number ≤ 2147483647 \\(timers cannot wait longer than 2147483647 ms, about 24\\.8 days\\), received 3000000000`));
  }
  assert.doesNotMatch(stderr, /TimeoutOverflowWarning|internal error/);
});

test('check-config: memory.emergencyMb of 1e12 exits 5 with the 1 TiB maximum', async () => {
  const { code, stderr } = await checkConfig({ memory: { emergencyMb: 1e12 } });
  assert.equal(code, 5, stderr);
  assert.match(stderr, /memory\.emergencyMb: expected a number ≤ 1048576 \(1 TiB; .*\), received 1000000000000/);
});

test('check-config: a status server on 0.0.0.0 without a token exits 5 naming status.host and status.tokenEnv; with a token it is fine', async () => {
  const open = await checkConfig({ status: { port: 9464, host: '0.0.0.0' } });
  assert.equal(open.code, 5, open.stderr);
  assert.match(open.stderr, /status\.host: expected a loopback address .* while status\.tokenEnv is unset, received "0\.0\.0\.0"/);
  assert.match(open.stderr, /Set status\.tokenEnv to the name of an environment variable holding a bearer token, or set status\.host to "127\.0\.0\.1"/);

  const locked = await checkConfig({ status: { port: 9464, host: '0.0.0.0', tokenEnv: 'SYNC_STATUS_TOKEN' } }, { SYNC_STATUS_TOKEN: 'a-long-enough-token' });
  assert.equal(locked.code, 0, locked.stderr);
  assert.match(locked.stdout, /^config OK: /);
});
