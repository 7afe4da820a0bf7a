// Fault: the runner is SIGKILLed (as the OOM killer or an operator would) at seeded random instants of a real sync,
// under a real in-process Supervisor. Its restart must complete the sync, and the worklist must then equal a
// clean run's: one transaction per batch means a kill leaves each batch fully written or not at all, and the
// watermark only moves after the last commit, so the retry re-exports everything the killed run did not finish.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { closeLogger } from '../../shared/logger.ts';
import { parseConfig } from '../../supervisor/config/load-config.ts';
import { Supervisor } from '../../supervisor/supervisor.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, readWatermarkFile, type WorklistRow } from '../helpers/runner-workspace.ts';
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

/** A pass whose run ended before its kill instant (a fast run on a quiet machine) is tried again, up to this many in all. */
const MAX_PASSES = 3 * KILLS;

interface Pass { readonly landed: boolean; readonly delayMs: number; /** The attempt's own length (history's started/ended), when the kill missed it. */ readonly missedRunMs?: number }

/**
 * One supervised sync of `size` records whose runner is SIGKILLed `delayMs` after the supervisor's "run 1 started …
 * pid P" line (the readiness signal: from then on the runner exists). Whether or not the kill landed, the restart must
 * complete the sync, with the clean run's worklist.
 */
async function killedPass(size: number, ref: Reference, delayMs: number, label: string): Promise<Pass> {
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
  const timer = setTimeout(() => {
    if (!tickDone) try { process.kill(pid, 'SIGKILL'); } catch { /* the attempt ended first: a missed pass */ }
  }, delayMs);
  const outcome = await tick;
  clearTimeout(timer);
  await supervisor.stop();
  await closeLogger(logger);

  const { runs } = await readHistory(ws.dataDir);
  const first = runs[0];
  const landed = first !== undefined && first.status !== 'ok';
  const what = `${label} (${size} records, kill ${delayMs} ms after the started line${landed ? '' : ', run ended first'})`;
  assert.equal(outcome.status, 'ok', `${what}: the restart must complete the sync`);
  if (landed) {
    assert.equal(first.signal, 'SIGKILL', `${what}: the killed attempt is recorded with its signal`);
    assert.equal(first.status, 'failed');
    assert.equal(runs[runs.length - 1]?.status, 'ok');
    await waitFor(/run 1 \(attempt 1\) failed in \d+ ms, signal SIGKILL/);
  } else {
    assert.equal(runs.length, 1, `${what}: an attempt that ended well is the only one`);
  }
  assert.ok(!runs.some((r) => r.status === 'running'), `${what}: no run left running`);
  await assertIntegrity(`${ws.dataDir}/history.db`, what);
  await assertWorklistEquals(ws.dbPath, ref.rows, what);
  assert.match((await readWatermarkFile(ws.dataDir)) ?? '', /lastSuccessStart/, `${what}: the completed sync recorded its watermark`);
  await assertNoSurvivors(ws.dir, 2000, what);
  return landed || first?.ended_at_ms == null ? { landed, delayMs } : { landed, delayMs, missedRunMs: first.ended_at_ms - first.started_at_ms };
}

test(`runner SIGKILLed at ${KILLS} random instants; each restart completes the sync (seed ${SEED})`, { timeout: FULL ? 1_800_000 : 180_000 }, async (t) => {
  const random = prng(SEED);
  const references = new Map<number, Reference>();
  /** Per size, the run's length as last measured: a pass the kill missed measures it again, so the instants follow the machine's load. */
  const runMs = new Map<number, number>();
  const instants: string[] = [];
  let landed = 0;
  let passes = 0;
  for (; landed < KILLS && passes < MAX_PASSES; passes++) {
    const size = SIZES[Math.floor(random() * SIZES.length)] ?? 1000;
    let ref = references.get(size);
    if (ref === undefined) references.set(size, (ref = await reference(size)));
    // Anywhere from spawn to well before the run would end (start-up, metadata, id export, mid-batch, commit).
    const delayMs = Math.floor(random() * (runMs.get(size) ?? ref.durationMs) * 0.75);
    const pass = await killedPass(size, ref, delayMs, `pass ${passes} (seed ${SEED})`);
    instants.push(`${delayMs}${pass.landed ? '' : ' (missed)'}`);
    if (pass.landed) landed++;
    else if (pass.missedRunMs !== undefined) runMs.set(size, pass.missedRunMs);
  }
  t.diagnostic(`seed ${SEED}: ${landed} kills in ${passes} passes (sizes ${[...references.keys()].join(', ')}; instants ${instants.join(', ')} ms)`);
  assert.equal(landed, KILLS, `only ${landed} of ${passes} passes were killed before their run ended (seed ${SEED}, instants ${instants.join(', ')} ms)`);
});
