// SIGKILL at random instants of a 5,000-record sync, then one run to the end: the worklist must equal an uninterrupted
// run's, row for row (ids included), with no duplicates and a sound file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { Database } from '../../shared/sqlite.ts';
import { startRedcapServer, type RedcapStandIn } from '../fixtures/redcap-server.ts';
import { runRunner, startRunner } from '../helpers/runner-process.ts';
import { FULL, prng, SEED } from '../faults/fault-kit.ts';
import { dumpWorklist, integrityCheck, makeWorkspace, readWatermarkFile, redcapConfig, TEST_TOKEN, type Workspace } from '../helpers/runner-workspace.ts';

const RECORDS = 5_000;
/** `npm run test:faults` (FAULTS_FULL=1) kills 20 times; `npm test` 5, to keep the suite inside its 5 minutes. */
const KILLS = FULL ? 20 : 5;

let server: RedcapStandIn;
const workspaces: Workspace[] = [];
before(async () => (server = await startRedcapServer({ token: TEST_TOKEN, records: syntheticRecords(RECORDS, { seed: 21, missingStudyIdEvery: 101 }) })));
after(async () => {
  await server.close();
  await Promise.all(workspaces.map((w) => w.cleanup()));
});

async function prepared(): Promise<Workspace> {
  const ws = await makeWorkspace();
  workspaces.push(ws);
  await ws.writeConfig(redcapConfig(ws, { batch_size: 250 }));
  return ws;
}

const env = () => ({ REDCAP_API_URL: server.url, REDCAP_API_TOKEN: TEST_TOKEN });
const args = (ws: Workspace) => ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir];

// The instants come from the seeded PRNG: the seed is in the test's name, and FAULTS_SEED=N replays a failure.
test(`SIGKILL at ${KILLS} random instants of a ${RECORDS}-record sync, then a full run: same worklist as uninterrupted (seed ${SEED})`, async () => {
  const random = prng(SEED + 2);
  const reference = await prepared();
  let readyAt = 0;
  const clean = startRunner({ cwd: reference.dir, args: args(reference), env: env() });
  await clean.ready;
  readyAt = performance.now();
  assert.equal((await clean.exited).code, 0, clean.stderr());
  const syncMs = performance.now() - readyAt;
  const expected = await dumpWorklist(reference.dbPath, { withId: true });
  assert.ok(expected.length > RECORDS, `reference has ${expected.length} rows`);

  const victim = await prepared();
  const instants: number[] = [];
  for (let i = 0; i < KILLS; i++) {
    const run = startRunner({ cwd: victim.dir, args: args(victim), env: env() });
    await run.ready;
    // Uniform over the sync itself (the startup before `ready` holds no database work worth killing).
    const killAfter = random() * syncMs;
    instants.push(Math.round(killAfter));
    const timer = setTimeout(() => run.child.kill('SIGKILL'), killAfter);
    const { signal, code } = await run.exited;
    clearTimeout(timer);
    assert.ok(signal === 'SIGKILL' || code === 0, `run ${i}: ended with ${signal ?? code}`);
    // A kill before the runner created the file leaves nothing to check.
    if (existsSync(victim.dbPath)) assert.equal(await integrityCheck(victim.dbPath), 'ok', `run ${i}: integrity after a kill at ${Math.round(killAfter)} ms (seed ${SEED})`);
  }
  const finish = await runRunner({ cwd: victim.dir, args: args(victim), env: env() });
  assert.equal(finish.code, 0, finish.stderr);

  assert.equal(await integrityCheck(victim.dbPath), 'ok');
  assert.deepEqual(await dumpWorklist(victim.dbPath, { withId: true }), expected, `kills at ${instants.join(', ')} ms (seed ${SEED})`);
  const db = await Database.open(victim.dbPath, { readonly: true });
  const duplicates = await db.get<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM worklist_items GROUP BY patient_id, patient_name HAVING count(*) > 1)');
  await db.close();
  assert.equal(duplicates?.n, 0);
  assert.ok(await readWatermarkFile(victim.dataDir), 'the finished sync recorded its watermark');
});
