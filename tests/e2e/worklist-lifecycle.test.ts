// The worklist lifecycle end to end: the real built supervisor (`run-once`, `history`) runs the real built runner
// against the stand-in REDCap with REDCap's change semantics; what the scanner would see (worklist.db) and what the
// record says (history.db, through the history CLI) are checked against each other after every run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorklistChangeView } from '../../supervisor/history/queries-worklist.ts';
import type { AlertRow } from '../../supervisor/history/queries-alerts.ts';
import type { MemoryStatus } from '../../supervisor/status/memory-status.ts';
import { formatRedcapDateTime } from '../../sync-runner/watermark.ts';
import { Database } from '../../shared/sqlite.ts';
import { journal, rowStates, setStatus, visitRecord, type RowState } from '../helpers/lifecycle-kit.ts';
import { isSnapshotRequest } from '../fixtures/redcap-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { supervisedSite } from '../helpers/supervised-site.ts';
import { parsePromText, sampleValue } from '../helpers/prom-text.ts';
import { getJson, http } from '../helpers/status-server.ts';
import { spawnSupervisor } from '../helpers/spawn-supervisor.ts';

const redcap = useRedcapSuite();
const now = () => formatRedcapDateTime(new Date());
const FUTURE: [string, string] = ['2030-07-01', '09:00'];
const LATER: [string, string] = ['2030-08-01', '10:00'];
/** Years past: expired under any expire_after_days up to 3650 … from 2030 on; 30 days here. */
const PAST: [string, string] = ['2020-03-02', '08:30'];
/** Records `from`…`from + n - 1`, one future visit each: the bulk of a project, which no test changes. */
const plain = (from: number, n: number) => Array.from({ length: n }, (_, i) => visitRecord(from + i, [FUTURE]));

interface WorklistJson {
  readonly total: number;
  readonly changes: WorklistChangeView[];
}

/** What history should hold for `key`'s row ("record/instance"), read from worklist.db. */
function expectedChange(rows: ReadonlyMap<string, RowState>, key: string, reason: string, runId: number, hidden = true) {
  const row = rows.get(key);
  assert.ok(row, `worklist.db has no row for ${key}`);
  const [record, instance] = key.split('/');
  return {
    rowId: row.id, patientId: row.patientId, fromStatus: hidden ? 'SCHEDULED' : 'CANCELED', toStatus: hidden ? 'CANCELED' : 'SCHEDULED',
    reason, source: 'main', record, instance, runId,
  };
}

/** The changes without their time (checked apart), in row order. */
const untimed = (changes: readonly WorklistChangeView[]) => changes.map(({ atMs: _at, ...rest }) => rest).sort((a, b) => a.rowId - b.rowId);

test('each reason through the supervisor: CANCELED in worklist.db, and `history worklist` / `history run` say which rows, why and in which run; the visit back restores it', async () => {
  redcap.server.setRecords([
    visitRecord(1, [FUTURE]),
    visitRecord(2, [FUTURE, FUTURE]), // deleted, then back
    visitRecord(3, [FUTURE, LATER]), // instance 2 deleted
    visitRecord(4, [FUTURE]), // date cleared, then dated again
    visitRecord(5, [PAST]), // expired at the first run
    ...plain(6, 20),
  ]);
  const site = await supervisedSite(redcap, { batch_size: 10, lifecycle: { cancel_removed: true, expire_after_days: 30, snapshot_every_minutes: 0 } });

  const startedMs = Date.now();
  const first = await site.runOnce();
  const inserted = await rowStates(site.ws.dbPath);
  assert.equal(inserted.size, 27, 'every MRI row of the 25 records is on the worklist');
  const afterFirst = await site.historyJson<WorklistJson>('worklist');
  assert.deepEqual(untimed(afterFirst.changes), [expectedChange(inserted, '5/1', 'expired', first.runId)]);
  assert.ok(afterFirst.changes.every((c) => c.atMs >= startedMs && c.atMs <= Date.now()), 'each change carries the time it was made');

  redcap.server.deleteRecord('2', now());
  redcap.server.deleteInstance('3', 2, now());
  redcap.server.clearField('4', 1, 'mri_date', now());
  const second = await site.runOnce();
  const rows = await rowStates(site.ws.dbPath);
  const status = (key: string) => [rows.get(key)?.status, rows.get(key)?.canceledReason];
  assert.deepEqual(['1/1', '2/1', '2/2', '3/1', '3/2', '4/1', '5/1', '6/1'].map(status), [
    ['SCHEDULED', null], ['CANCELED', 'record-deleted'], ['CANCELED', 'record-deleted'], ['SCHEDULED', null], ['CANCELED', 'instance-deleted'],
    ['CANCELED', 'date-cleared'], ['CANCELED', 'expired'], ['SCHEDULED', null],
  ]);
  const hidden = await site.historyJson<WorklistJson>('worklist', '--run', String(second.runId));
  assert.equal(hidden.total, 4);
  assert.deepEqual(untimed(hidden.changes), [
    expectedChange(rows, '2/1', 'record-deleted', second.runId),
    expectedChange(rows, '2/2', 'record-deleted', second.runId),
    expectedChange(rows, '3/2', 'instance-deleted', second.runId),
    expectedChange(rows, '4/1', 'date-cleared', second.runId),
  ]);
  assert.equal((await site.historyJson<WorklistJson>('worklist')).total, 5, 'the whole record: run 1\'s expiry and run 2\'s four');
  const runText = await site.history('run', String(second.runId));
  assert.match(runText, new RegExp(`\\n {2}worklist {6}4 status changes: record-deleted 2, instance-deleted 1, date-cleared 1 \\(\`history worklist --run ${second.runId}\` lists them\\)\\n`));
  assert.match(runText, /\n {6}lifecycle: changed record-deleted 2, instance-deleted 1, date-cleared 1, kept 0, visible 26, snapshot 24 records\n/);
  assert.deepEqual((await site.historyJson<{ worklistChanges: Record<string, number> }>('run', String(second.runId))).worklistChanges, { 'record-deleted': 2, 'instance-deleted': 1, 'date-cleared': 1 });
  assert.match(second.stderr, /worklist status changes: 4 written/);

  // The record and the date come back in REDCap: the rows this step hid return to SCHEDULED, on the record as `restored`.
  redcap.server.upsertRecords([visitRecord(2, [FUTURE, FUTURE])], now());
  redcap.server.setField('4', 1, 'mri_date', '2030-07-02', now());
  const third = await site.runOnce();
  const back = await rowStates(site.ws.dbPath);
  assert.deepEqual(['2/1', '2/2', '3/2', '4/1', '5/1'].map((k) => back.get(k)?.status), ['SCHEDULED', 'SCHEDULED', 'CANCELED', 'SCHEDULED', 'CANCELED']);
  assert.equal(back.size, 27, 'restored in place: no second row for the visit that came back');
  const restored = await site.historyJson<WorklistJson>('worklist', '--run', String(third.runId));
  assert.deepEqual(untimed(restored.changes), ['2/1', '2/2', '4/1'].map((k) => expectedChange(back, k, 'restored', third.runId, false)));
  assert.match(await site.history('run', String(third.runId)), /\n {2}worklist {6}3 status changes: restored 3 /);

  // worklist.db's journal and history hold the same changes.
  const { entries } = await journal(site.ws.dbPath);
  const all = await site.historyJson<WorklistJson>('worklist');
  assert.deepEqual(all.changes.map((c) => [c.rowId, c.fromStatus, c.toStatus, c.reason]), entries.map((e) => [e.row_id, e.from_status, e.to_status, e.reason]));
});

test('a removed visit whose row the scanner holds IN_PROGRESS stays IN_PROGRESS, kept with its reason, and nothing is recorded for it', async () => {
  redcap.server.setRecords(plain(1, 12));
  const site = await supervisedSite(redcap, { lifecycle: { cancel_removed: true, snapshot_every_minutes: 0 } });
  await site.runOnce();
  await setStatus(site.ws.dbPath, 'sub_0003_ses_1_%', 'IN_PROGRESS'); // as the scanner's MPPS would
  const db = await Database.open(site.ws.dbPath, { wal: false }); // and a row typed in by hand, long past and in no REDCap
  await db.run("INSERT INTO worklist_items (patient_id, patient_name, scheduled_start_date, scheduled_start_time, performed_procedure_step_status, data_source) VALUES ('sub_hand_ses_1', 'by^hand', '2020-01-01', '08:00', 'SCHEDULED', 'REDCap')");
  await db.close();
  const before = await rowStates(site.ws.dbPath);
  redcap.server.deleteRecord('3', now());
  redcap.server.deleteRecord('4', now()); // a SCHEDULED one beside it, so the pass does change something
  const second = await site.runOnce();
  assert.match(second.stderr, new RegExp(`source main lifecycle: kept \\(not SCHEDULED, the scanner's\\) row ${before.get('3/1')?.id} \\(record "3", instance "1", IN_PROGRESS\\): record-deleted`));
  const third = await site.runOnce(); // and again on the next pass: still the scanner's
  const rows = await rowStates(site.ws.dbPath);
  assert.deepEqual(rows.get('3/1'), { ...before.get('3/1'), status: 'IN_PROGRESS' });
  assert.deepEqual(rows.get('sub_hand_ses_1'), { ...before.get('sub_hand_ses_1'), status: 'SCHEDULED', linked: false }, 'a row the sync did not write is never touched');
  assert.equal(rows.get('4/1')?.status, 'CANCELED');
  const recorded = await site.historyJson<WorklistJson>('worklist');
  assert.deepEqual(untimed(recorded.changes), [expectedChange(rows, '4/1', 'record-deleted', second.runId)], 'only the SCHEDULED row\'s change');
  assert.deepEqual((await journal(site.ws.dbPath)).entries.map((e) => e.row_id), [rows.get('4/1')?.id]);
  for (const run of [second, third]) {
    assert.match(await site.history('run', String(run.runId)), new RegExp(`lifecycle: changed ${run === second ? 'record-deleted 1' : 'none'}, kept 1, visible \\d+, snapshot 10 records\\n`));
  }
});

test('the fraction guard through the supervisor: the run succeeds and inserts, nothing is hidden, and a critical worklist-cancel-refused alert carries the counts', async () => {
  redcap.server.setRecords(plain(1, 20));
  const site = await supervisedSite(redcap, { lifecycle: { cancel_removed: true, snapshot_every_minutes: 0 } });
  await site.runOnce();
  for (let id = 1; id <= 10; id++) redcap.server.deleteRecord(String(id), now());
  redcap.server.upsertRecords([visitRecord(21, [FUTURE])], now());
  const refused = await site.runOnce(0);
  const rows = await rowStates(site.ws.dbPath);
  assert.equal(rows.get('21/1')?.status, 'SCHEDULED', 'the new visit landed');
  assert.deepEqual([...rows.values()].filter((r) => r.status !== 'SCHEDULED'), [], 'no row hidden');
  assert.equal((await site.historyJson<WorklistJson>('worklist')).total, 0);
  assert.deepEqual((await journal(site.ws.dbPath)).entries, []);

  const { alerts } = await site.historyJson<{ alerts: AlertRow[] }>('alerts');
  const alert = alerts.find((a) => a.kind === 'worklist-cancel-refused');
  assert.ok(alert, `no worklist-cancel-refused alert in ${JSON.stringify(alerts)}`);
  assert.deepEqual([alert.level, alert.run_id, alert.value], ['critical', refused.runId, 10]);
  assert.match(alert.message, /^worklist cancel refused for source main: WORKLIST_CANCEL_REFUSED, would hide 10 of 21 visible rows \(.*more than max_cancel_fraction 0\.2.*\); nothing was hidden/);
  const runText = await site.history('run', String(refused.runId));
  assert.match(runText, /lifecycle: changed none, kept 0, visible 21, snapshot 11 records; REFUSED WORKLIST_CANCEL_REFUSED, would hide 10 of 21 visible rows/);
  assert.match(runText, /\n {2}worklist {6}no status changes recorded\n/);
  assert.equal((await site.historyJson<{ run: { status: string } }>('run', String(refused.runId))).run.status, 'ok');
});

test('an incomplete snapshot (cut-short answer) is refused through the supervisor: SNAPSHOT_INCOMPLETE alerted, nothing hidden; the next whole one hides', async () => {
  redcap.server.setRecords(plain(1, 12));
  // No fraction guard to fall back on: the snapshot's own check must refuse the pass.
  const site = await supervisedSite(redcap, { lifecycle: { cancel_removed: true, max_cancel_fraction: 1, snapshot_every_minutes: 0 } });
  await site.runOnce();
  redcap.server.deleteRecord('4', now());
  redcap.server.fail({ mode: 'truncated-json', only: isSnapshotRequest });
  let refused: number;
  try {
    refused = (await site.runOnce(0)).runId;
  } finally {
    redcap.server.fail(undefined);
  }
  assert.deepEqual([...(await rowStates(site.ws.dbPath)).values()].filter((r) => r.status !== 'SCHEDULED'), [], 'nothing hidden, record 4 included');
  const { alerts } = await site.historyJson<{ alerts: AlertRow[] }>('alerts', '--run', String(refused));
  assert.deepEqual(alerts.map((a) => [a.kind, a.level]), [['worklist-cancel-refused', 'critical']]);
  assert.match(alerts[0]?.message ?? '', /^worklist cancel refused for source main: SNAPSHOT_INCOMPLETE, .*snapshot is not whole.*truncated/);
  assert.match(await site.history('run', String(refused)), /REFUSED SNAPSHOT_INCOMPLETE/);
  const next = await site.runOnce();
  assert.equal((await rowStates(site.ws.dbPath)).get('4/1')?.status, 'CANCELED');
  assert.deepEqual((await site.historyJson<WorklistJson>('worklist')).changes.map((c) => [c.record, c.reason, c.runId]), [['4', 'record-deleted', next.runId]]);
});

test('dry_run through the supervisor: nothing changes, nothing is recorded as changed, and `history run` says what it would have done', async () => {
  redcap.server.setRecords(plain(1, 12));
  const site = await supervisedSite(redcap, { lifecycle: { cancel_removed: true, dry_run: true, snapshot_every_minutes: 0 } });
  await site.runOnce();
  const before = await rowStates(site.ws.dbPath);
  redcap.server.deleteRecord('5', now());
  const dry = await site.runOnce();
  assert.match(dry.stderr, /source main lifecycle \(dry run: nothing changed\): would hide row \d+ \(record "5", instance "1", SCHEDULED\): record-deleted/);
  assert.deepEqual(await rowStates(site.ws.dbPath), before);
  assert.equal((await site.historyJson<WorklistJson>('worklist')).total, 0);
  assert.match(await site.history('run', String(dry.runId)), /lifecycle \(dry run: nothing changed\): would change record-deleted 1, kept 0, visible 12, snapshot 11 records\n/);
});

test('the long-lived supervisor: /metrics counts the hidden rows by reason and /memory-status lists them, from the real runner\'s changes', async () => {
  redcap.server.setRecords(plain(1, 12));
  const site = await supervisedSite(redcap, { lifecycle: { cancel_removed: true, snapshot_every_minutes: 0 } }, { schedule: { everyMs: 2000 }, status: { port: 0 } });
  const sup = spawnSupervisor(['--config', site.config], { cwd: site.ws.dir, env: site.env, built: true });
  try {
    const base = (await sup.waitFor(/status server listening on (http:\/\/\S+)/))[1] ?? '';
    await sup.waitFor(/run 1 \(attempt 1\) ok in/);
    const counter = async (reason: string) => sampleValue(parsePromText((await http(`${base}/metrics`)).body), 'sync_supervisor_worklist_status_changes_total', { reason });
    assert.equal(await counter('record-deleted'), 0, 'the series exists before any change');
    redcap.server.deleteRecord('7', now());
    // Whichever tick comes next takes the snapshot and hides the row; its closing words are the signal.
    const written = await sup.waitFor(/run (\d+): worklist status changes: 1 written/);
    const row = (await rowStates(site.ws.dbPath)).get('7/1');
    assert.equal(row?.status, 'CANCELED');
    assert.equal(await counter('record-deleted'), 1);
    assert.equal(await counter('restored'), 0);
    const { json } = await getJson<MemoryStatus>(`${base}/memory-status`);
    assert.deepEqual(json.worklist.changesByReason, { 'record-deleted': 1 });
    assert.deepEqual(json.worklist.recentChanges.map(({ atMs: _at, ...rest }) => rest), [
      { rowId: row.id, patientId: row.patientId, fromStatus: 'SCHEDULED', toStatus: 'CANCELED', reason: 'record-deleted', source: 'main', record: '7', instance: '1', runId: Number(written[1]) },
    ]);
  } finally {
    sup.child.kill('SIGTERM');
    assert.equal((await sup.exited()).code, 0, sup.output());
  }
});
