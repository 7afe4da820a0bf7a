// warnMb and hardLimitMb follow emergencyMb when unset; memory.sustainMs is validated. Through parseConfig, then
// through the real bin's check-config, which prints the effective values and says which ones were derived.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../supervisor/config/load-config.ts';
import { problemsOf } from '../../helpers/config-problems.ts';
import { fixture } from '../../helpers/harness.ts';
import { cronEnv, runBin } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const memoryOf = (memory: Record<string, number>) => parseConfig({ memory }, { cwd: '/srv', file: '/etc/sync/config.json' }).memory;

test('only memory.emergencyMb: 200 is accepted, with warnMb 80 % (160) and hardLimitMb 1.5 × (300) of it', () => {
  assert.deepEqual(problemsOf({ memory: { emergencyMb: 200 } }), []);
  const memory = memoryOf({ emergencyMb: 200 });
  assert.deepEqual([memory.warnMb, memory.emergencyMb, memory.hardLimitMb, memory.sustainMs], [160, 200, 300, 0]);
});

test('derived lines: the defaults are unchanged (400 / 500 / 750), a set value is kept, small limits stay below the line', () => {
  const defaults = memoryOf({});
  assert.deepEqual([defaults.warnMb, defaults.emergencyMb, defaults.hardLimitMb, defaults.sustainMs], [400, 500, 750, 0]);
  assert.equal(memoryOf({ emergencyMb: 200, warnMb: 50 }).warnMb, 50);
  assert.equal(memoryOf({ emergencyMb: 333 }).warnMb, 266.4);
  assert.equal(memoryOf({ emergencyMb: 1 }).warnMb, 0.8, 'one decimal, so the derived warning never lands on the emergency line');
  // A warnMb set explicitly is still judged: derivation never "fixes" a value the operator wrote.
  assert.match(problemsOf({ memory: { emergencyMb: 200, warnMb: 400 } }).join('\n'), /^memory\.warnMb: expected less than memory\.emergencyMb \(200\), received 400/);
});

test('memory.sustainMs: an integer from 0 to 600000 ms', () => {
  assert.equal(memoryOf({ sustainMs: 1500 }).sustainMs, 1500);
  assert.match(problemsOf({ memory: { sustainMs: -1 } }).join('\n'), /^memory\.sustainMs: expected a number ≥ 0, received -1/);
  assert.match(problemsOf({ memory: { sustainMs: 1.5 } }).join('\n'), /^memory\.sustainMs: expected a value of type integer/);
  assert.match(problemsOf({ memory: { sustainMs: 600_001 } }).join('\n'), /^memory\.sustainMs: expected a number ≤ 600000, received 600001/);
});

async function checkConfig(config: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = await tempDir();
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(config));
  const run = runBin(['check-config', '--config', file], { cwd: dir, env: cronEnv(dir) });
  const { code } = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const runner = { command: process.execPath, args: [fixture('ok-runner.mjs')] };

test('check-config (the real bin): emergencyMb 200 alone exits 0 and prints the effective lines, naming the derived ones', async () => {
  const { code, stdout, stderr } = await checkConfig({ runner, memory: { emergencyMb: 200 } });
  assert.equal(code, 0, stderr);
  const [header = '', ...rest] = stdout.split('\n');
  assert.match(header, /^config OK: .*config\.json; derived: memory\.warnMb 160 \(80 % of memory\.emergencyMb\), memory\.hardLimitMb 300 \(1\.5 × memory\.emergencyMb\)$/);
  const settings = JSON.parse(rest.join('\n')) as { memory: Record<string, number>; derived?: unknown; origin?: unknown };
  assert.deepEqual(
    [settings.memory.warnMb, settings.memory.emergencyMb, settings.memory.hardLimitMb, settings.memory.sustainMs],
    [160, 200, 300, 0],
  );
  assert.equal(settings.derived, undefined, 'the JSON stays a config file: no notes in it');
  assert.equal(settings.origin, undefined);
});

test('check-config (the real bin): with every line set, nothing is called derived', async () => {
  const { code, stdout, stderr } = await checkConfig({ runner, memory: { warnMb: 100, emergencyMb: 200, hardLimitMb: 250, sustainMs: 2000 } });
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^config OK: \S+config\.json\n/);
  assert.equal((JSON.parse(stdout.slice(stdout.indexOf('\n') + 1)) as { memory: { sustainMs: number } }).memory.sustainMs, 2000);
});
