import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { fixture, readHistory } from '../../helpers/harness.ts';
import { goneWithin, spawnSupervisor, type SpawnedSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

async function configFile(dir: string, script: string, args: string[] = []): Promise<string> {
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify({ runner: { command: process.execPath, args: [fixture(script), ...args] }, schedule: { everyMs: 600000 }, dataDir: 'data' }));
  return path;
}

test('SIGTERM stops the supervisor cleanly: child stopped, row interrupted, exit 0', async () => {
  const dir = await tempDir();
  const sup = spawnSupervisor(['--config', await configFile(dir, 'hang.mjs')], { cwd: dir });
  const pid = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
  sup.child.kill('SIGTERM');
  const { code } = await sup.exited();
  assert.equal(code, 0, sup.output());
  assert.equal(isAlive(pid), false);
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['interrupted', 'shutdown']);
  assert.match(sup.output(), /supervisor stopped/);
});

test('after the supervisor is SIGKILLed, a runner that honours disconnect is gone within 2 s', async () => {
  const dir = await tempDir();
  const sup = spawnSupervisor(['--config', await configFile(dir, 'leak.mjs', ['1'])], { cwd: dir });
  const pid = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
  sup.child.kill('SIGKILL');
  await sup.exited();
  assert.equal(await goneWithin(pid, 2000, isAlive), true, `runner ${pid} outlived its supervisor`);
});

test('an orphan that ignores disconnect is reaped and marked at the next start', async () => {
  const dir = await tempDir();
  const config = await configFile(dir, 'ignore-disconnect.mjs');
  const first = spawnSupervisor(['--config', config], { cwd: dir });
  const pid = Number((await first.waitFor(/READY pid=(\d+)/))[1]);
  // The pid is recorded just after spawn; wait for that line, as a real crash could come any time later.
  await first.waitFor(/run 1 started \(attempt 1\), pid \d+/);
  first.child.kill('SIGKILL');
  await first.exited();
  assert.equal(isAlive(pid), true, 'the fixture survived its supervisor, as intended');
  const second = spawnSupervisor(['--config', config, '--log-level', 'debug'], { cwd: dir });
  await second.waitFor(/killed orphaned runner\(s\) of runs 1/);
  assert.equal(await goneWithin(pid, 2000, isAlive), true);
  second.child.kill('SIGTERM');
  assert.equal((await second.exited()).code, 0, second.output());
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['orphaned', 'supervisor-died']);
});

test('a setsid helper that outlived a SIGKILLed supervisor and its runner is killed at the next start', async (t) => {
  const dir = await tempDir();
  const pidFile = join(dir, 'helper.pid');
  let helper = 0;
  const started: SpawnedSupervisor[] = [];
  t.after(() => {
    for (const sup of started) if (sup.child.exitCode === null && sup.child.signalCode === null) sup.child.kill('SIGKILL');
    // Every helper any run started, the second supervisor's own run included.
    for (const sup of started) {
      for (const [, pid] of sup.output().matchAll(/HELPER pid=(\d+)/g)) if (isAlive(Number(pid))) process.kill(Number(pid), 'SIGKILL');
    }
  });
  const config = await configFile(dir, 'escape-helper.mjs', [pidFile, '1', 'hang', 'setsid']);
  const first = spawnSupervisor(['--config', config], { cwd: dir });
  started.push(first);
  const runner = Number((await first.waitFor(/RUNNER pid=(\d+)/))[1]);
  helper = Number((await first.waitFor(/HELPER pid=(\d+)/))[1]);
  await first.waitFor(/run 1 started \(attempt 1\), pid \d+/);
  first.child.kill('SIGKILL');
  await first.exited();
  // The runner honours disconnect and goes; its helper, in a session of its own, stays: nobody watches it now.
  assert.equal(await goneWithin(runner, 2000, isAlive), true, 'the runner exits when its supervisor dies');
  assert.equal(isAlive(helper), true, 'the helper outlived both, as intended');
  const second = spawnSupervisor(['--config', config], { cwd: dir });
  started.push(second);
  await second.waitFor(/killed orphaned runner\(s\) of runs 1/);
  assert.equal(await goneWithin(helper, 2000, isAlive), true, `helper ${helper} survived the next start`);
  second.child.kill('SIGTERM');
  assert.equal((await second.exited()).code, 0, second.output());
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['orphaned', 'supervisor-died']);
});
