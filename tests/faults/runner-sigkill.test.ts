// Fault: the runner is SIGKILLed (as the OOM killer or an operator would) at a random instant of a real sync,
// under a real in-process Supervisor. Its restart must complete the sync, and the worklist must then equal a
// clean run's: one transaction per batch means a kill leaves each batch fully written or not at all, and the
// watermark only moves after the last commit, so the retry re-exports everything the killed run did not finish.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { closeLogger } from '../../shared/logger.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { useRedcapSuite } from '../fixtures/redcap-suite.ts';
import { runRunner } from '../fixtures/runner-process.ts';
import { dumpWorklist, readWatermarkFile, type WorklistRow } from '../fixtures/runner-workspace.ts';
import { capturedLogger, readHistory } from '../helpers/harness.ts';
import { apiConfig, assertIntegrity, assertNoSurvivors, assertWorklistEquals, count, FULL, prng, realRunner, SEED } from './fault-kit.ts';

const KILLS = count(100, 5);
const SIZES = FULL ? [1000, 2500, 5000, 10_000] : [1000];
const BATCH = 100;

const redcap = useRedcapSuite();
const workspace = () => redcap.workspace((ws) => apiConfig(ws, { batch_size: BATCH }));

const env = () => (redcap.env());

interface Reference { rows: WorklistRow[]; durationMs: number }

/** A clean, unkilled sync of `size` records: the worklist every killed-then-completed sync must reach. */
async function reference(size: number): Promise<Reference> {
  redcap.server.setRecords(syntheticRecords(size, { seed: size, missingStudyIdEvery: 17 }));
  const ws = await workspace();
  const started = performance.now();
  const run = await runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env: env() });
  assert.equal(run.code, 0, run.stderr);
  return { rows: await dumpWorklist(ws.dbPath), durationMs: performance.now() - started };
}

test(`runner SIGKILLed at ${KILLS} random instants; each restart completes the sync (seed ${SEED})`, { timeout: FULL ? 1_800_000 : 120_000 }, async (t) => {
  const random = prng(SEED);
  const references = new Map<number, Reference>();
  let landed = 0;
  for (let i = 0; i < KILLS; i++) {
    const size = SIZES[Math.floor(random() * SIZES.length)] ?? 1000;
    let ref = references.get(size);
    if (ref === undefined) references.set(size, (ref = await reference(size)));
    redcap.server.setRecords(syntheticRecords(size, { seed: size, missingStudyIdEvery: 17 }));
    const ws = await workspace();
    const config = parseConfig({
      runner: realRunner(env(), ws.dir),
      sync: { pylantirConfig: ws.configPath },
      dataDir: ws.dataDir,
      restart: { maxAttempts: 3, backoffMs: 10 },
    }, { cwd: ws.dir });
    const { logger, waitFor } = capturedLogger();
    const supervisor = new Supervisor({ config, logger });
    await supervisor.start();
    let tickDone = false;
    const tick = supervisor.triggerTick().finally(() => (tickDone = true));
    const pid = Number((await waitFor(/run 1 started \(attempt 1\), pid (\d+)/)).match(/pid (\d+)/)?.[1]);
    // Anywhere from spawn to well before a clean run would end (start-up, metadata, id export, mid-batch, commit);
    // not to its very end, as a supervised run on a loaded machine may be faster than the reference was.
    const delayMs = Math.floor(random() * ref.durationMs * 0.75);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const killed = !tickDone && (() => { try { return process.kill(pid, 'SIGKILL'); } catch { return false; } })();
    const outcome = await tick;
    await supervisor.stop();
    await closeLogger(logger);
    const what = `case ${i} (${size} records, kill after ${delayMs} ms${killed ? '' : ', run ended first'})`;

    assert.equal(outcome.status, 'ok', `${what}: the restart must complete the sync`);
    const { runs } = await readHistory(ws.dataDir);
    const first = runs[0];
    if (killed && first?.status !== 'ok') {
      landed++;
      assert.equal(first?.signal, 'SIGKILL', `${what}: the killed attempt is recorded with its signal`);
      assert.equal(first?.status, 'failed');
      assert.equal(runs[runs.length - 1]?.status, 'ok');
      await waitFor(/run 1 \(attempt 1\) failed in \d+ ms, signal SIGKILL/);
    }
    assert.ok(!runs.some((r) => r.status === 'running'), `${what}: no run left running`);
    await assertIntegrity(`${ws.dataDir}/history.db`, what);
    await assertWorklistEquals(ws.dbPath, ref.rows, what);
    assert.match((await readWatermarkFile(ws.dataDir)) ?? '', /lastSuccessStart/, `${what}: the completed sync recorded its watermark`);
    await assertNoSurvivors(ws.dir, 2000, what);
  }
  t.diagnostic(`${landed} of ${KILLS} kills landed inside a run (sizes ${[...references.keys()].join(', ')})`);
  // Most instants fall inside the run; a few may land after a fast run ended, which is fine but must be rare.
  assert.ok(landed >= Math.ceil(KILLS / 2), `only ${landed} of ${KILLS} kills landed inside a run`);
});
