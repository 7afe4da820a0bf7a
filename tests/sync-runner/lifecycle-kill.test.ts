// SIGKILL at seeded random instants of the lifecycle step's writes (from its plan to the runner's exit: the status
// commits, 500 changes each, and their reports), with a
// stand-in supervisor that keeps what the runner reported and passes SYNC_SUPERVISOR_JOURNAL_RECEIVED back. After
// every kill the worklist's statuses, the ownership links and the journal agree; after the next complete run the
// reported changes ("history") hold every journal entry, and the statuses are those of an uninterrupted run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { prng, syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { WorklistChange } from '../../shared/protocol.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { assertWorklistAgreement } from '../helpers/lifecycle-kit.ts';
import { startRedcapServer, type RedcapStandIn } from '../fixtures/redcap-server.ts';
import { startRunner } from '../helpers/runner-process.ts';
import { FULL } from '../faults/fault-kit.ts';
import { makeWorkspace, redcapConfig, TEST_TOKEN, type Workspace } from '../helpers/runner-workspace.ts';

const RECORDS = 2_000;
/** Deleted and brought back in turn: some 1,000 rows hidden or restored per pass, in commits of 500. */
const GROUP = 1_000;
/** `npm run test:faults` (FAULTS_FULL=1) kills 12 times; `npm test` 2, beside the real supervisor's 10 in tests/e2e. */
const KILLS = FULL ? 12 : 2;
/** A pass with less to do (after a kill left part of the last one done) may end before its instant: try again. */
const MAX_PASSES = 3 * KILLS;
const SEED = 20;

const records = syntheticRecords(RECORDS, { seed: 3 });
const group = records.slice(0, GROUP);
let server: RedcapStandIn;
let ws: Workspace;
before(async () => {
  server = await startRedcapServer({ token: TEST_TOKEN, records });
  ws = await makeWorkspace();
  await ws.writeConfig(redcapConfig(ws, { batch_size: 1000, lifecycle: { cancel_removed: true, max_cancel_fraction: 1, snapshot_every_minutes: 0 } }));
});
after(async () => {
  await server.close();
  await ws.cleanup();
});

/** What the supervisor's history would hold: every change reported, once per seq. */
const history = new Map<number, WorklistChange>();
const received = () => {
  let seq = 0;
  while (history.has(seq + 1)) seq++;
  return seq;
};

function toggle(deleted: boolean): void {
  const at = formatRedcapDateTime(new Date());
  if (deleted) server.upsertRecords(group, at);
  else for (const rows of group) server.deleteRecord(String(rows[0]?.record_id), at);
}

interface Timed {
  readonly killed: boolean;
  /** ms from the step's plan (its summary log line) to the runner's exit (or kill). */
  readonly stepMs: number;
}

async function run(journalId: string | undefined, killAfterMs?: number): Promise<Timed> {
  const env = { REDCAP_API_URL: server.url, REDCAP_API_TOKEN: TEST_TOKEN, ...(journalId ? { SYNC_SUPERVISOR_JOURNAL_RECEIVED: JSON.stringify({ [journalId]: received() }) } : {}) };
  let planAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const child = startRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env, onMessage: (m) => m.type === 'worklist-changes' && m.changes.forEach((c) => history.set(c.seq, c)) });
  child.child.stderr?.on('data', (chunk: Buffer | string) => {
    if (planAt !== undefined || !/lifecycle: hide \d+, restore \d+/.test(String(chunk))) return;
    planAt = performance.now();
    if (killAfterMs !== undefined) timer = setTimeout(() => child.child.kill('SIGKILL'), killAfterMs);
  });
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  assert.ok(code === 0 || signal === 'SIGKILL', `runner ended with ${signal ?? code}: ${child.stderr()}`);
  return { killed: signal === 'SIGKILL', stepMs: performance.now() - (planAt ?? performance.now()) };
}

const assertAgreement = (context: string) => assertWorklistAgreement(ws.dbPath, context);

test(`SIGKILL at ${KILLS} seeded random instants of the lifecycle step: statuses, links, journal and history agree`, async () => {
  assert.equal((await run(undefined)).killed, false, 'the first import runs to the end');
  const { journalId } = await assertAgreement('after the first import');
  // One uninterrupted pass measures the step's writes: from its plan to the exit.
  toggle(false);
  const reference = await run(journalId);
  assert.ok(reference.stepMs > 0);
  const hidden = (await assertAgreement('after the reference pass')).canceled;
  assert.ok(hidden > GROUP, `the reference pass hid ${hidden} rows`);

  const random = prng(SEED);
  const instants: number[] = [];
  let killed = 0;
  /** Kills that left a pass partly committed: some of its chunks in, the rest not. */
  let partial = 0;
  let deleted = true;
  for (let i = 0; killed < KILLS && i < MAX_PASSES; i++) {
    toggle(deleted);
    deleted = !deleted;
    const at = Math.round(random() * reference.stepMs);
    instants.push(at);
    const seqsBefore = (await assertAgreement(`before pass ${i}`)).seqs.length;
    const outcome = await run(journalId, at);
    if (outcome.killed) killed++;
    const state = await assertAgreement(`after a kill ${at} ms into pass ${i} (seed ${SEED}, instants ${instants.join(', ')})`);
    if (outcome.killed && state.seqs.length > seqsBefore) partial++;
  }
  assert.equal(killed, KILLS, `only ${killed} of ${instants.length} runs were killed before they ended (instants ${instants.join(', ')} ms of ${Math.round(reference.stepMs)})`);
  // Not asserted (it depends on the machine's speed), but worth seeing when the test is run by hand.
  console.log(`lifecycle kills: ${killed} of ${instants.length} passes killed, ${partial} with part of their pass committed; step ${Math.round(reference.stepMs)} ms`);

  // The next complete run converges: the worklist as an uninterrupted run leaves it, and history holds the whole journal.
  assert.equal((await run(journalId)).killed, false);
  const final = await assertAgreement('after the final run');
  assert.equal(final.canceled, deleted ? hidden : 0, `the group is ${deleted ? 'deleted' : 'back'} in REDCap`);
  assert.deepEqual([...history.keys()].sort((a, b) => a - b), final.seqs, 'history holds every journal entry, once');
  assert.ok([...history.values()].every((c) => c.journalId === journalId));
});
