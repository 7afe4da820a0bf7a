import assert from 'node:assert/strict';
import { once } from 'node:events';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { AppError } from '../../shared/errors/app-error.ts';
import { closeLogger } from '../../shared/logger.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { isAlive } from '../../supervisor/process/process-identity.ts';
import { capturedLogger, fixtureConfig, readHistory } from '../helpers/harness.ts';

test('a tick that comes while the previous run is alive is skipped and recorded as overlap', async () => {
  const config = await fixtureConfig('hang.mjs', [], { run: { timeoutMs: 400 }, restart: { maxAttempts: 1 } });
  const { logger } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  const first = supervisor.triggerTick();
  const second = await supervisor.triggerTick();
  assert.equal(second.status, 'skipped');
  assert.equal((await first).status, 'timeout');
  await supervisor.stop();
  await closeLogger(logger);
  const { runs } = await readHistory(config.dataDir);
  assert.deepEqual(runs.map((r) => [r.status, r.reason]).sort(), [['skipped', 'overlap'], ['timeout', 'timeout']]);
});

test('a second supervisor on the same data dir is refused with the holder named', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const a = capturedLogger();
  const first = new Supervisor({ config, logger: a.logger });
  await first.start();
  const b = capturedLogger();
  const second = new Supervisor({ config, logger: b.logger });
  await assert.rejects(second.start(), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'LOCK_HELD');
    assert.match(error.message, new RegExp(`pid ${process.pid} `));
    return true;
  });
  await first.stop();
  await Promise.all([closeLogger(a.logger), closeLogger(b.logger)]);
});

test('a stale lock left by a dead process is taken over with a warning', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const dead = spawn(process.execPath, ['-e', '']);
  await once(dead, 'exit');
  await writeFile(join(config.dataDir, 'supervisor.lock'), JSON.stringify({ pid: dead.pid, startTicks: 1, startedAtMs: 0, host: (await import('node:os')).hostname() }));
  const { logger, lines } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  await supervisor.stop();
  await closeLogger(logger);
  assert.ok(lines.some((l) => l.includes(`took over a stale lock left by pid ${dead.pid}`)), lines.join('\n'));
});

test('stop() during a run terminates the child through the grace path and records interrupted', async () => {
  const config = await fixtureConfig('hang.mjs', []);
  const { logger, waitFor } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  await supervisor.start();
  const tick = supervisor.triggerTick();
  const ready = await waitFor(/READY pid=(\d+)/);
  const pid = Number(/READY pid=(\d+)/.exec(ready)?.[1]);
  await supervisor.stop();
  const outcome = await tick;
  await closeLogger(logger);
  assert.equal(outcome.status, 'interrupted');
  assert.equal(isAlive(pid), false);
  const { runs } = await readHistory(config.dataDir);
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['interrupted', 'shutdown']);
});

test('a lock held from another host counts while its heartbeat is fresh, and is taken over once stale', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const lock = join(config.dataDir, 'supervisor.lock');
  await writeFile(lock, JSON.stringify({ pid: 1, startTicks: 1, startedAtMs: 0, host: 'another-host' }));
  const fresh = capturedLogger();
  await assert.rejects(new Supervisor({ config, logger: fresh.logger }).start(), /another supervisor holds .* pid 1 on another-host/);
  const anHourAgo = new Date(Date.now() - 3600_000);
  await utimes(lock, anHourAgo, anHourAgo);
  const stale = capturedLogger();
  const supervisor = new Supervisor({ config, logger: stale.logger });
  await supervisor.start();
  await supervisor.stop();
  await Promise.all([closeLogger(fresh.logger), closeLogger(stale.logger)]);
  assert.ok(stale.lines.some((l) => l.includes('took over a stale lock left by pid 1 (another-host)')));
});

test('stop() while start() is still running waits for it, then shuts down cleanly', async () => {
  const config = await fixtureConfig('ok-runner.mjs', []);
  const { logger } = capturedLogger();
  const supervisor = new Supervisor({ config, logger });
  const starting = supervisor.start();
  const stopping = supervisor.stop();
  await starting;
  await stopping;
  assert.equal(supervisor.state, 'stopped');
  assert.equal((await supervisor.triggerTick()).status, 'interrupted', 'no run starts after a stop');
  await closeLogger(logger);
  const { runs } = await readHistory(config.dataDir);
  assert.equal(runs.length, 0);
});
