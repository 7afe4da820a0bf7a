// The lock's heartbeat runs with each self-sample. When it fails (the lock file was replaced, the disk refuses the
// write), the operator hears it once, before another host's supervisor judges the silent lock stale and takes over.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeLogger } from '../../../shared/logger.ts';
import type { SupervisorPlugin } from '../../../supervisor/plugin.ts';
import { Supervisor } from '../../../supervisor/supervisor.ts';
import { capturedLogger, fixtureConfig } from '../../helpers/harness.ts';

test('a lock that no longer names this supervisor is reported once by the heartbeat, and its recovery too', { timeout: 20_000 }, async () => {
  const config = await fixtureConfig('ok-runner.mjs', [], { memory: { selfSampleIntervalMs: 100 } });
  const { logger, lines, waitFor } = capturedLogger();
  // Counts self-samples (each one carries a heartbeat, failed or not, before the plugins hear of it), so the test
  // can wait for several without a clock.
  let samples = 0;
  const waiters: Array<{ at: number; resolve: () => void }> = [];
  const sampleCounter: SupervisorPlugin = {
    name: 'self-sample counter',
    afterSelfSample: async () => {
      samples++;
      for (const w of waiters.filter((x) => samples >= x.at)) w.resolve();
    },
  };
  const supervisor = new Supervisor({ config, logger, plugins: [sampleCounter] });
  const samplesLater = (n: number) => new Promise<void>((resolve) => waiters.push({ at: samples + n, resolve }));
  await supervisor.start();
  const lockPath = join(config.dataDir, 'supervisor.lock');
  const ours = await readFile(lockPath, 'utf8');
  try {
    await writeFile(lockPath, JSON.stringify({ pid: 1, startTicks: null, startedAtMs: 0, host: 'elsewhere', nonce: 'not-ours' }));
    await waitFor(/lock heartbeat failed: \[LOCK_HELD\] lost the lock/);
    // Three more heartbeats fail while the lock stays foreign: still one line.
    await samplesLater(3);
    await writeFile(lockPath, ours);
    await waitFor(/lock heartbeat works again/);
    assert.equal(lines.filter((l) => /lock heartbeat failed/.test(l)).length, 1, 'one report per episode');
  } finally {
    await supervisor.stop();
    await closeLogger(logger);
  }
});
