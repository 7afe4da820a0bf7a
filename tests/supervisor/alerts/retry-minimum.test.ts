// The real bin: `alerts.retry.backoffMs: 1` once gave a retry storm at 100 % of a core; check-config refuses it
// (exit 5), naming the key, the 1000 ms minimum and why.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, runBin } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

async function checkConfig(config: unknown): Promise<{ code: number | null; stderr: string }> {
  const dir = await tempDir();
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  const run = runBin(['check-config', '--config', file], { cwd: dir, env: cronEnv(dir) });
  const { code } = await run.exit;
  return { code, stderr: run.stderr() };
}

test('check-config: alerts.retry.backoffMs below 1000 ms exits 5 with the minimum and the reason; 1000 is accepted', async () => {
  const runner = { command: process.execPath };
  const storm = await checkConfig({ runner, alerts: { retry: { backoffMs: 1, backoffMaxMs: 10 } } });
  assert.equal(storm.code, 5, storm.stderr);
  assert.match(storm.stderr, /alerts\.retry\.backoffMs: expected a number ≥ 1000 \(a shorter wait retries a failing sink in a tight loop that keeps a core busy\), received 1 \(number\)/);
  assert.match(storm.stderr, /alerts\.retry\.backoffMaxMs: expected a number ≥ 1000 \(.*\), received 10/);
  const sane = await checkConfig({ runner, alerts: { retry: { backoffMs: 1000, backoffMaxMs: 1000 } } });
  assert.equal(sane.code, 0, sane.stderr);
});
