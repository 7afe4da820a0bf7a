// SIGKILL of the real runner at seeded random instants of its lifecycle step, under the real built supervisor
// (`run-once`): the runner's pid comes from the supervisor's "run N started … pid P" line, and each instant counts from
// the step's plan line as the supervisor relays it (a readiness signal, never a blind sleep). A group of records is
// deleted and brought back in turn, so every pass hides or restores some 1,300 rows in three commits (500 changes
// each). After each kill worklist.db agrees with itself and history holds nothing the journal lacks; after a final
// complete run-once, history and the journal hold the same (journal_id, seq) set and every row's history ends in its
// status.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng, syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import { Database } from '../../shared/sqlite.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { assertWorklistAgreement } from '../helpers/lifecycle-kit.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { supervisedSite, type SupervisedSite } from '../helpers/supervised-site.ts';
import { assertNoDuplicates } from '../faults/fault-kit.ts';

const RECORDS = 2_000;
/** Deleted and brought back in turn: about 1,350 MRI rows. */
const GROUP = 1_000;
const KILLS = 10;
/** A pass with less to do (a kill left part of the last one done) may end before its instant: try again. */
const MAX_PASSES = 3 * KILLS;
/** Replay a failure with E2E_SEED=N. */
const SEED = Number(process.env.E2E_SEED ?? 2020);

const records = syntheticRecords(RECORDS, { seed: 3 });
const group = records.slice(0, GROUP);
const redcap = useRedcapSuite();

function toggle(deleted: boolean): void {
  const at = formatRedcapDateTime(new Date());
  if (deleted) redcap.server.upsertRecords(group, at);
  else for (const rows of group) redcap.server.deleteRecord(String(rows[0]?.record_id), at);
}

/** The pid is the runner's still (not reused): its command line names the bundled runner. */
function isRunner(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(join('dist', 'sync-runner', 'main.js'));
  } catch {
    return false;
  }
}

interface Pass {
  readonly killed: boolean;
  /** ms from the step's plan line to the runner's last line ("sync-runner done"), as the supervisor relayed them; undefined when killed. */
  readonly stepMs: number | undefined;
  /** Rows the step planned to hide or restore. */
  readonly planned: number;
}

async function pass(site: SupervisedSite, killAfterMs?: number): Promise<Pass> {
  const run = site.startRunOnce();
  const pid = Number(/pid (\d+)/.exec(await run.waitForLog(/run \d+ started \(attempt 1\), pid \d+/))?.[1]);
  const plan = /hide (\d+), restore (\d+)/.exec(await run.waitForLog(/source main lifecycle: hide \d+, restore \d+/));
  const planAt = performance.now();
  let doneAt: number | undefined;
  const done = run.waitForLog(/sync-runner done/).then(() => (doneAt = performance.now()), () => undefined);
  let timer: NodeJS.Timeout | undefined;
  if (killAfterMs !== undefined) timer = setTimeout(() => isRunner(pid) && process.kill(pid, 'SIGKILL'), killAfterMs);
  const { code } = await run.exit;
  await done;
  clearTimeout(timer);
  const killed = /run \d+ \(attempt 1\) failed in \d+ ms, signal SIGKILL/.test(run.stderr());
  assert.equal(code, killed ? 1 : 0, run.stderr());
  return { killed, stepMs: doneAt === undefined ? undefined : doneAt - planAt, planned: Number(plan?.[1]) + Number(plan?.[2]) };
}

interface HistoryChange {
  readonly journal_id: string;
  readonly seq: number;
  readonly row_id: number;
  readonly from_status: string;
  readonly to_status: string;
  readonly reason: string;
  readonly run_id: number | null;
}

async function readTable<T>(path: string, sql: string): Promise<T[]> {
  const db = await Database.open(path, { readonly: true });
  try {
    return await db.all<T>(sql);
  } finally {
    await db.close();
  }
}

const CHANGE_COLUMNS = 'seq, row_id, from_status, to_status, reason, run_id';
const historyChanges = (site: SupervisedSite) => readTable<HistoryChange>(join(site.dataDir, 'history.db'), `SELECT journal_id, ${CHANGE_COLUMNS} FROM worklist_changes ORDER BY journal_id, seq`);
const journalEntries = (site: SupervisedSite) => readTable<Omit<HistoryChange, 'journal_id'>>(site.ws.dbPath, `SELECT ${CHANGE_COLUMNS} FROM sync_runner_status_journal ORDER BY seq`);

/** Every change history holds is the journal's entry of that seq, word for word; returns how many it holds. */
async function assertHistoryWithinJournal(site: SupervisedSite, journalId: string, context: string): Promise<number> {
  const entries = new Map((await journalEntries(site)).map((e) => [e.seq, e]));
  const held = await historyChanges(site);
  for (const { journal_id, ...change } of held) {
    assert.equal(journal_id, journalId, `${context}: history holds a change of another journal`);
    assert.deepEqual(change, entries.get(change.seq), `${context}: history's change ${change.seq} is not the journal's`);
  }
  return held.length;
}

test(`SIGKILL of the runner at ${KILLS} seeded random instants of its lifecycle step, under the real supervisor: worklist.db and history agree`, async (t) => {
  redcap.server.setRecords(records);
  const site = await supervisedSite(redcap, { batch_size: 200, lifecycle: { cancel_removed: true, max_cancel_fraction: 1, snapshot_every_minutes: 0 } });
  assert.equal((await site.runOnce()).runId, 1, 'the first import');
  const { journalId } = await assertWorklistAgreement(site.ws.dbPath, 'after the first import');

  // One uninterrupted pass measures the step: from its plan line to the runner's last line.
  toggle(false);
  const reference = await pass(site);
  assert.equal(reference.killed, false);
  /** The step's length as last measured: a whole pass the kill missed measures it again, so the instants follow the machine's load. */
  let stepMs = reference.stepMs ?? 0;
  const hidden = (await assertWorklistAgreement(site.ws.dbPath, 'after the reference pass')).canceled;
  assert.ok(hidden > 2 * 500, `the reference pass hid ${hidden} rows: more than two commits' worth`);

  const random = prng(SEED);
  const instants: number[] = [];
  let killed = 0;
  /** Kills that left their pass partly committed: some of its commits in, the rest not. */
  let partial = 0;
  let deleted = true;
  for (let i = 0; killed < KILLS && i < MAX_PASSES; i++) {
    toggle(deleted);
    deleted = !deleted;
    const at = Math.round(random() * stepMs);
    instants.push(at);
    const before = (await journalEntries(site)).length;
    const outcome = await pass(site, at);
    if (outcome.killed) killed++;
    else if (outcome.planned >= hidden) stepMs = outcome.stepMs ?? stepMs;
    const context = `after a ${outcome.killed ? 'kill' : 'missed kill'} ${at} ms into pass ${i} (seed ${SEED}, instants ${instants.join(', ')})`;
    const state = await assertWorklistAgreement(site.ws.dbPath, context);
    await assertHistoryWithinJournal(site, journalId, context);
    if (outcome.killed && state.seqs.length > before && state.canceled !== (deleted ? hidden : 0)) partial++;
  }
  assert.equal(killed, KILLS, `only ${killed} of ${instants.length} runs were killed before they ended (seed ${SEED}, instants ${instants.join(', ')} ms, step ${Math.round(stepMs)} ms)`);
  t.diagnostic(`seed ${SEED}: ${killed} kills in ${instants.length} passes, ${partial} left their pass partly committed; step ${Math.round(reference.stepMs ?? 0)} ms at first, ${Math.round(stepMs)} ms at last`);

  // A final complete run converges: the worklist as an uninterrupted run leaves it, and history holds the whole journal.
  assert.equal((await pass(site)).killed, false);
  const final = await assertWorklistAgreement(site.ws.dbPath, 'after the final run');
  assert.equal(final.canceled, deleted ? hidden : 0, `the group is ${deleted ? 'deleted' : 'back'} in REDCap`);
  await assertNoDuplicates(site.ws.dbPath);
  const held = await historyChanges(site);
  assert.equal(await assertHistoryWithinJournal(site, journalId, 'after the final run'), final.seqs.length, 'history holds every journal entry');
  assert.deepEqual(held.map((c) => c.seq), final.seqs, 'the same (journal_id, seq) set, each once');

  // Each row's history is one unbroken story ending in its status: no change recorded twice, none missing.
  const rows = await readTable<{ id: number; status: string; reason: string | null }>(site.ws.dbPath,
    'SELECT w.id, w.performed_procedure_step_status AS status, l.canceled_reason AS reason FROM worklist_items w JOIN sync_runner_row_links l ON l.row_id = w.id');
  const story = new Map<number, HistoryChange[]>();
  for (const change of held) story.set(change.row_id, [...(story.get(change.row_id) ?? []), change]);
  for (const row of rows) {
    const changes = story.get(row.id) ?? [];
    changes.forEach((c, n) => assert.equal(c.from_status, changes[n - 1]?.to_status ?? 'SCHEDULED', `row ${row.id}: change ${c.seq} starts from ${c.from_status}`));
    const last = changes.at(-1);
    assert.equal(last?.to_status ?? 'SCHEDULED', row.status, `row ${row.id} is ${row.status}; its last change in history says ${last?.to_status}`);
    if (row.status === 'CANCELED') assert.equal(last?.reason, row.reason, `row ${row.id}: the CANCELED mark and history's reason`);
  }
  // What the next runner is told history holds: all of it.
  const [through] = await readTable<{ received_through: number }>(join(site.dataDir, 'history.db'), 'SELECT received_through FROM worklist_journals');
  assert.equal(through?.received_through, final.seqs.at(-1));
  assert.equal((await site.historyJson<{ total: number }>('worklist', '--limit', '1')).total, final.seqs.length);
});
