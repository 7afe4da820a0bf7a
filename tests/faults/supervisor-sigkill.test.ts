// Fault: the supervisor itself is SIGKILLed at random instants (start-up, lock, migration, mid-run, backoff),
// and a new one is started on the same data dir each time, as systemd would. After each kill nothing of the case
// may be alive 2 s later (the runner leaves when its IPC channel closes); at the end the history must be intact,
// with every run the dead supervisors left behind marked `orphaned` or `interrupted`, none left `running`.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist } from '../helpers/runner-workspace.ts';
import { readHistory } from '../helpers/harness.ts';
import { spawnSupervisor } from '../helpers/spawn-supervisor.ts';
import { apiConfig, assertIntegrity, assertNoSurvivors, assertWorklistEquals, count, prng, realRunner, SEED } from './fault-kit.ts';

const KILLS = count(50, 3);
const RECORDS = syntheticRecords(300, { seed: 3 });

const redcap = useRedcapSuite(RECORDS);
const workspace = () => redcap.workspace((ws) => apiConfig(ws, { batch_size: 30 }));

const redcapEnv = () => (redcap.env());
const processEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });

test(`supervisor SIGKILLed at ${KILLS} random instants, restarted each time (seed ${SEED})`, { timeout: 600_000 }, async (t) => {
  const random = prng(SEED + 1);
  const clean = await workspace();
  const cleanRun = await runRunner({ cwd: clean.dir, args: ['--pylantir-config', clean.configPath, '--data-dir', clean.dataDir], env: redcapEnv() });
  assert.equal(cleanRun.code, 0, cleanRun.stderr);
  const expected = await dumpWorklist(clean.dbPath);

  const ws = await workspace();
  const configPath = join(ws.dir, 'supervisor.json');
  // Slow record batches keep a run in flight for a while, so many instants land mid-sync.
  redcap.server.fail({ mode: 'slow', content: 'record', delayMs: 60 });
  await writeFile(configPath, JSON.stringify({
    schedule: { everyMs: 400 },
    runner: realRunner(redcapEnv(), ws.dir),
    sync: { pylantirConfig: ws.configPath },
    restart: { maxAttempts: 2, backoffMs: 200 },
    dataDir: ws.dataDir,
  }));
  for (let i = 0; i < KILLS; i++) {
    const sup = spawnSupervisor(['--config', configPath], { cwd: ws.dir, env: processEnv() });
    const delayMs = Math.floor(random() * 3000);
    const exited = sup.exited();
    const early = await Promise.race([new Promise((resolve) => setTimeout(() => resolve(false), delayMs)), exited.then(() => true)]);
    assert.equal(early, false, `supervisor ${i} exited on its own:\n${sup.output()}`);
    sup.child.kill('SIGKILL');
    await exited;
    await assertNoSurvivors(ws.dir, 2000, `kill ${i} after ${delayMs} ms`);
  }
  redcap.server.fail(undefined);

  // A last supervisor reaps what the others left and completes one sync.
  const last = spawnSupervisor(['run-once', '--config', configPath], { cwd: ws.dir, env: processEnv() });
  const { code } = await last.exited();
  assert.equal(code, 0, last.output());
  await assertNoSurvivors(ws.dir, 2000, 'after the last supervisor');

  await assertIntegrity(join(ws.dataDir, 'history.db'), 'history after the kills');
  const { runs } = await readHistory(ws.dataDir);
  assert.deepEqual(runs.filter((r) => r.status === 'running').map((r) => r.id), [], 'no run left running');
  for (const run of runs.filter((r) => r.reason === 'supervisor-died')) {
    assert.ok(run.status === 'orphaned' || run.status === 'interrupted', `run ${run.id}: ${run.status}`);
    assert.match(run.error ?? '', /the supervisor died while this run was in flight/);
  }
  const died = runs.filter((r) => r.reason === 'supervisor-died').length;
  t.diagnostic(`${runs.length} run rows; ${died} left in flight by a killed supervisor, all marked orphaned/interrupted`);
  assert.equal(runs[runs.length - 1]?.status, 'ok');
  await assertWorklistEquals(ws.dbPath, expected, 'worklist after the kills and a completing sync');
});
