// The lifecycle step through the real runner and the stand-in REDCap with REDCap's change semantics: each reason,
// a restore, the scanner's statuses kept, a hand-inserted row untouched, the guard, dry_run, the journal's re-send.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Database } from '../../shared/sqlite.ts';
import type { LifecycleResult, ResultMessage, RunnerMessage } from '../../shared/protocol.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { journal, reportedChanges, rowStates, setStatus, visitRecord } from '../helpers/lifecycle-kit.ts';
import { isSnapshotRequest } from '../fixtures/redcap-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { redcapConfig, type Workspace } from '../helpers/runner-workspace.ts';

const redcap = useRedcapSuite();
const now = () => formatRedcapDateTime(new Date());
const TODAY = '2030-06-15';
const FUTURE: [string, string] = ['2030-07-01', '09:00'];

const sync = async (ws: Workspace, env: Record<string, string> = {}) => {
  const run = await runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env: { ...redcap.env(), SYNC_RUNNER_TEST_TODAY: TODAY, ...env } });
  assert.equal(run.code, 0, run.stderr);
  const source = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0];
  assert.equal(source?.status, 'ok', run.stderr);
  return { ...run, source, lifecycle: source?.lifecycle as LifecycleResult };
};

// Every run takes the snapshot here; the default cadence would skip it on runs this close together.
const lifecycleWorkspace = (lifecycle: Record<string, unknown>) => redcap.workspace((ws) => redcapConfig(ws, { lifecycle: { snapshot_every_minutes: 0, ...lifecycle } }));

async function insertByHand(dbPath: string, patientId: string, date: string): Promise<void> {
  const db = await Database.open(dbPath, { wal: false });
  await db.run("INSERT INTO worklist_items (patient_id, patient_name, scheduled_start_date, scheduled_start_time, performed_procedure_step_status, data_source) VALUES (?, 'by^hand', ?, '08:00', 'SCHEDULED', 'REDCap')", [patientId, date]);
  await db.close();
}

test('each reason hides only SCHEDULED rows this source created; IN_PROGRESS is kept; a hand-made row is untouched; the visit coming back restores it', async () => {
  redcap.server.setRecords([
    visitRecord(1, [FUTURE]),
    visitRecord(2, [FUTURE, FUTURE]), // deleted
    visitRecord(3, [FUTURE]), // deleted while the scanner holds it IN_PROGRESS
    visitRecord(4, [FUTURE, ['2030-08-01', '10:00']]), // instance 2 deleted
    visitRecord(5, [FUTURE]), // date cleared
    visitRecord(6, [['2030-05-01', '09:00']]), // 45 days before TODAY: expires with expire_after_days 30
    visitRecord(7, [FUTURE]),
  ]);
  const ws = await lifecycleWorkspace({ cancel_removed: true, expire_after_days: 30, max_cancel_fraction: 1 });
  const first = await sync(ws);
  assert.deepEqual(first.lifecycle.changed, { expired: 1 }, 'the first run already expires the stale visit');
  await insertByHand(ws.dbPath, 'sub_hand_ses_1_fam_x_site_uofc', '2030-01-01');
  await setStatus(ws.dbPath, 'sub_0003_ses_1_%', 'IN_PROGRESS');

  redcap.server.deleteRecord('2', now());
  redcap.server.deleteRecord('3', now());
  redcap.server.deleteInstance('4', 2, now());
  redcap.server.clearField('5', 1, 'mri_date', now());
  const second = await sync(ws);
  assert.deepEqual(second.lifecycle.changed, { 'record-deleted': 2, 'instance-deleted': 1, 'date-cleared': 1 });
  assert.equal(second.lifecycle.kept, 1, 'record 3\'s IN_PROGRESS row');
  assert.equal(second.lifecycle.refused, undefined);
  assert.equal(second.lifecycle.snapshotRecords, 5);
  const rows = await rowStates(ws.dbPath);
  const status = (key: string) => rows.get(key)?.status;
  assert.deepEqual(['1/1', '2/1', '2/2', '3/1', '4/1', '4/2', '5/1', '6/1', '7/1'].map(status), ['SCHEDULED', 'CANCELED', 'CANCELED', 'IN_PROGRESS', 'SCHEDULED', 'CANCELED', 'CANCELED', 'CANCELED', 'SCHEDULED']);
  assert.deepEqual(rows.get('sub_hand_ses_1_fam_x_site_uofc'), { ...rows.get('sub_hand_ses_1_fam_x_site_uofc'), status: 'SCHEDULED', linked: false }, 'a row nobody linked is never touched, even long past');
  assert.match(second.stderr, /lifecycle: hide row \d+ \(record "2", instance "1", SCHEDULED\): record-deleted/);
  assert.match(second.stderr, /lifecycle: kept \(not SCHEDULED, the scanner's\) row \d+ \(record "3", instance "1", IN_PROGRESS\): record-deleted/);

  // What was reported is what was journalled, in the same transaction as the status. Run alone (no
  // SYNC_SUPERVISOR_JOURNAL_RECEIVED), the second run first re-sent the first run's entry, as nobody said it arrived.
  const { journalId, entries } = await journal(ws.dbPath);
  assert.equal(reportedChanges(second.messages)[0]?.seq, 1);
  const reported = [...new Map([...reportedChanges(first.messages), ...reportedChanges(second.messages)].map((c) => [c.seq, c])).values()];
  assert.deepEqual(reported.map((c) => [c.journalId, c.seq, c.rowId, c.fromStatus, c.toStatus, c.reason, c.record, c.instance]), entries.map((e) => [journalId, e.seq, e.row_id, e.from_status, e.to_status, e.reason, e.record, e.instance]));
  assert.ok(reported.every((c) => c.source === 'main' && c.runId === null && c.patientId?.startsWith('sub_')));

  // The visits come back: our CANCELED rows return to SCHEDULED; the expired one stays hidden.
  redcap.server.upsertRecords([visitRecord(2, [FUTURE, FUTURE]), visitRecord(3, [FUTURE])], now());
  redcap.server.setField('5', 1, 'mri_date', '2030-07-02', now());
  const third = await sync(ws, { SYNC_SUPERVISOR_JOURNAL_RECEIVED: JSON.stringify({ [journalId]: entries.at(-1)?.seq }) });
  assert.deepEqual(third.lifecycle.changed, { restored: 3 });
  const after = await rowStates(ws.dbPath);
  assert.deepEqual(['2/1', '2/2', '3/1', '4/2', '5/1', '6/1'].map((k) => after.get(k)?.status), ['SCHEDULED', 'SCHEDULED', 'IN_PROGRESS', 'CANCELED', 'SCHEDULED', 'CANCELED']);
  assert.equal(after.get('5/1')?.canceledReason, null);
  assert.ok(reportedChanges(third.messages).every((c) => c.reason === 'restored' && c.toStatus === 'SCHEDULED' && c.fromStatus === 'CANCELED'));

  // The journal goes out again above what history says it holds, and not below.
  const all = (await journal(ws.dbPath)).entries;
  const resent = await sync(ws, { SYNC_SUPERVISOR_JOURNAL_RECEIVED: JSON.stringify({ [journalId]: 2 }) });
  assert.deepEqual(reportedChanges(resent.messages).map((c) => c.seq), all.filter((e) => e.seq > 2).map((e) => e.seq));
  const upToDate = await sync(ws, { SYNC_SUPERVISOR_JOURNAL_RECEIVED: JSON.stringify({ [journalId]: all.at(-1)?.seq }) });
  assert.deepEqual(reportedChanges(upToDate.messages), []);
});

test('the fraction guard refuses the whole pass (WORKLIST_CANCEL_REFUSED): nothing hidden, new rows still inserted', async () => {
  redcap.server.setRecords(Array.from({ length: 10 }, (_, i) => visitRecord(i + 1, [FUTURE])));
  const ws = await lifecycleWorkspace({ cancel_removed: true });
  await sync(ws);
  for (const id of ['1', '2', '3']) redcap.server.deleteRecord(id, now());
  redcap.server.upsertRecords([visitRecord(11, [FUTURE])], now());
  const run = await sync(ws);
  assert.equal(run.source?.inserted, 1, 'the sync itself landed');
  assert.deepEqual(run.lifecycle.refused, { code: 'WORKLIST_CANCEL_REFUSED', message: run.lifecycle.refused?.message, wouldHide: 3, visible: 11 });
  assert.match(run.lifecycle.refused?.message ?? '', /would hide 3 of the source's 11 visible row\(s\), more than max_cancel_fraction 0\.2/);
  assert.deepEqual(run.lifecycle.changed, {}, 'nothing changed; wouldHide says what it would have done');
  assert.ok(run.source?.warnings.some((w) => w.startsWith('lifecycle step refused [WORKLIST_CANCEL_REFUSED]')));
  assert.ok([...(await rowStates(ws.dbPath)).values()].every((r) => r.status === 'SCHEDULED'));
  assert.deepEqual((await journal(ws.dbPath)).entries, []);
  assert.deepEqual(reportedChanges(run.messages), []);
});

test('an incomplete snapshot (cut-short JSON) refuses the pass (SNAPSHOT_INCOMPLETE); the sync still lands', async () => {
  redcap.server.setRecords(Array.from({ length: 10 }, (_, i) => visitRecord(i + 1, [FUTURE])));
  const ws = await lifecycleWorkspace({ cancel_removed: true, max_cancel_fraction: 1 });
  await sync(ws);
  redcap.server.deleteRecord('4', now());
  redcap.server.upsertRecords([visitRecord(12, [FUTURE])], now());
  redcap.server.fail({ mode: 'truncated-json', only: isSnapshotRequest });
  try {
    const run = await sync(ws);
    assert.equal(run.source?.inserted, 1);
    assert.equal(run.lifecycle.refused?.code, 'SNAPSHOT_INCOMPLETE');
    assert.match(run.lifecycle.refused?.message ?? '', /snapshot is not whole: REDCap answered content=record \(snapshot of every record.s identifying fields\) with an answer that is not a whole JSON array of records: it ends before the closing "\]" \(truncated\)/);
    assert.equal((await rowStates(ws.dbPath)).get('4/1')?.status, 'SCHEDULED');
  } finally {
    redcap.server.fail(undefined);
  }
  const retried = await sync(ws);
  assert.deepEqual(retried.lifecycle.changed, { 'record-deleted': 1 }, 'the next whole snapshot does it');
});

test('dry_run reports what it would do and changes nothing', async () => {
  redcap.server.setRecords(Array.from({ length: 5 }, (_, i) => visitRecord(i + 1, [FUTURE])));
  const ws = await lifecycleWorkspace({ cancel_removed: true, max_cancel_fraction: 1, dry_run: true });
  await sync(ws);
  const before = await rowStates(ws.dbPath);
  redcap.server.deleteRecord('5', now());
  const run = await sync(ws);
  assert.deepEqual(run.lifecycle, { dryRun: true, changed: { 'record-deleted': 1 }, kept: 0, visible: 5, snapshotRecords: 4 });
  assert.match(run.stderr, /lifecycle \(dry run: nothing changed\): would hide row \d+ \(record "5", instance "1", SCHEDULED\): record-deleted/);
  assert.deepEqual(await rowStates(ws.dbPath), before);
  assert.deepEqual((await journal(ws.dbPath)).entries, []);
});

test('the step is off by default: a deleted record stays on the list, and no snapshot is requested', async () => {
  redcap.server.setRecords(Array.from({ length: 3 }, (_, i) => visitRecord(i + 1, [FUTURE])));
  const ws = await redcap.workspace((w) => redcapConfig(w));
  await sync(ws);
  redcap.server.deleteRecord('1', now());
  redcap.server.requests.length = 0;
  const run = await sync(ws);
  assert.equal(run.lifecycle, undefined);
  assert.equal(redcap.server.requests.filter(isSnapshotRequest).length, 0);
  assert.equal((await rowStates(ws.dbPath)).get('1/1')?.status, 'SCHEDULED');
  assert.equal((await rowStates(ws.dbPath)).get('1/1')?.linked, true, 'rows are linked whether or not the step is on');
});

test('the stand-in\'s logging API: 403 without the Logging right, record_delete events with it', async () => {
  const ask = async () => {
    const body = new URLSearchParams({ token: redcap.env().REDCAP_API_TOKEN, content: 'log', format: 'json', logtype: 'record_delete' });
    const res = await fetch(redcap.server.url, { method: 'POST', body });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  redcap.server.setRecords([visitRecord(1, [FUTURE])]);
  redcap.server.deleteRecord('1', '2030-01-02 03:04:05');
  assert.equal((await ask()).status, 403);
  redcap.server.setLoggingRight(true);
  try {
    assert.deepEqual(await ask(), { status: 200, body: [{ timestamp: '2030-01-02 03:04', username: 'standin', action: 'Delete record 1', details: '', record: '1' }] });
  } finally {
    redcap.server.setLoggingRight(false);
  }
});

test('the default cadence: a run within snapshot_every_minutes of the last snapshot takes none, and still expires', async () => {
  redcap.server.setRecords([visitRecord(1, [FUTURE]), visitRecord(2, [['2030-01-01', '09:00']])]);
  const ws = await redcap.workspace((w) => redcapConfig(w, { lifecycle: { cancel_removed: true, max_cancel_fraction: 1 } }));
  const first = await sync(ws);
  assert.equal(first.lifecycle.snapshotRecords, 2, 'the first run takes one');
  redcap.server.deleteRecord('1', now());
  await ws.writeConfig(redcapConfig(ws, { lifecycle: { cancel_removed: true, max_cancel_fraction: 1, expire_after_days: 30 } }));
  redcap.server.requests.length = 0;
  const second = await sync(ws);
  assert.equal(second.lifecycle.snapshotRecords, null);
  assert.equal(redcap.server.requests.filter(isSnapshotRequest).length, 0);
  assert.deepEqual(second.lifecycle.changed, { expired: 1 }, 'record 1 waits for the next snapshot; record 2 expires now');
});

test('a source that owns no row takes no snapshot: REDCap is not asked for one', async () => {
  redcap.server.setRecords([visitRecord(1, [])]);
  const ws = await lifecycleWorkspace({ cancel_removed: true });
  redcap.server.requests.length = 0;
  const run = await sync(ws);
  assert.deepEqual(run.lifecycle, { dryRun: false, changed: {}, kept: 0, visible: 0, snapshotRecords: null });
  assert.equal(redcap.server.requests.filter(isSnapshotRequest).length, 0);
});
