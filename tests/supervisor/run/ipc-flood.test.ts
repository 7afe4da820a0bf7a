import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_MESSAGE_BYTES } from '../../../shared/channel-framing.ts';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { fixture, readHistory } from '../../helpers/harness.ts';
import { procStatusMb } from '../../helpers/proc-status.ts';
import { spawnSupervisor } from '../../helpers/spawn-supervisor.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const PEAK_LIMIT_MB = 150;

test('a runner that writes 64 MB to its channel without a newline ends as a protocol violation; the supervisor stays small and the next tick works', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir();
  const config = join(dir, 'config.json');
  await writeFile(config, JSON.stringify({
    runner: { command: process.execPath, args: [fixture('ipc-flood.mjs'), join(dir, 'flooded'), '64'] },
    schedule: { everyMs: 1000 },
    restart: { maxAttempts: 1 },
    dataDir: 'data',
  }));
  const sup = spawnSupervisor(['--config', config], { cwd: dir });
  const supervisorPid = sup.child.pid ?? 0;
  const flooder = Number((await sup.waitFor(/READY pid=(\d+)/))[1]);
  await sup.waitFor(/run 1 \(attempt 1\) failed/);
  assert.equal(isAlive(flooder), false, 'the flooding runner was stopped');
  // The next tick that starts a run (an overlapping slot may have taken an id for its `skipped` row).
  const okRun = Number((await sup.waitFor(/run (\d+) \(attempt 1\) ok/))[1]);
  const peakMb = procStatusMb(supervisorPid, 'VmHWM');
  sup.child.kill('SIGTERM');
  const { code } = await sup.exited();
  assert.equal(code, 0, sup.output());
  t.diagnostic(`supervisor peak RSS (VmHWM) ${peakMb.toFixed(1)} MB`);
  assert.ok(peakMb < PEAK_LIMIT_MB, `supervisor peak RSS ${peakMb.toFixed(1)} MB, limit ${PEAK_LIMIT_MB} MB`);
  const said = `runner sent a message over ${MAX_MESSAGE_BYTES} bytes on its IPC channel`;
  assert.equal(sup.output().split(said).length - 1, 2, `logged once, and once more in the run's summary:\n${sup.output()}`);
  const { runs } = await readHistory(join(dir, 'data'));
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['failed', 'protocol']);
  assert.match(runs[0]?.error ?? '', new RegExp(`^\\[IPC_MESSAGE_TOO_LARGE\\] ${said}`));
  assert.equal(runs.find((r) => r.id === okRun)?.status, 'ok');
});
