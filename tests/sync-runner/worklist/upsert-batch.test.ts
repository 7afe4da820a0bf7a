import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { STUDY_UID_PREFIX } from '../../../sync-runner/worklist/study-uid.ts';
import { writeBatch } from '../../../sync-runner/worklist/upsert-batch.ts';
import type { WorklistEntry } from '../../../sync-runner/worklist/worklist-entry.ts';
import { openWorklist, WORKLIST_DDL } from '../../../sync-runner/worklist/worklist-schema.ts';

let dir = '';
before(async () => (dir = await mkdtemp(join(tmpdir(), 'worklist-'))));
after(() => rm(dir, { recursive: true, force: true }));

const entry = (n: number, date: string): WorklistEntry => ({
  patientId: `sub_${n}`, patientName: `cpip-id-${n}^fa-1`,
  columns: { modality: 'MR', data_source: 'REDCap', protocol_name: 'P', scheduled_start_date: date, scheduled_start_time: '09:00' },
});

test('openWorklist creates Pylantir\'s exact table and our index in a missing folder', async () => {
  const path = join(dir, 'new', 'sub', 'worklist.db');
  const db = await openWorklist(path);
  try {
    const table = await db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'worklist_items'");
    assert.equal(table?.sql, WORKLIST_DDL);
    const index = await db.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'worklist_items'");
    assert.equal(index?.name, 'ix_worklist_items_patient_id_patient_name');
  } finally {
    await db.close();
  }
});

test('openWorklist refuses a table that is not Pylantir\'s', async () => {
  const path = join(dir, 'foreign.db');
  const raw = await Database.open(path);
  await raw.exec('CREATE TABLE worklist_items (id INTEGER PRIMARY KEY, other TEXT)');
  await raw.close();
  await assert.rejects(openWorklist(path), /WORKLIST|lacks column\(s\) study_instance_uid/);
});

test('writeBatch: inserts with defaults and a UID, never touches status, updates only when changed', async () => {
  const db = await openWorklist(join(dir, 'w.db'));
  try {
    assert.deepEqual(await writeBatch(db, [entry(1, '2030-01-01'), entry(2, '2030-01-02')]), { inserted: 2, updated: 0, unchanged: 0, duplicateKeys: 0, duplicateRowIds: [] });
    const first = await db.get<Record<string, string>>('SELECT * FROM worklist_items WHERE patient_id = ?', ['sub_1']);
    assert.equal(first?.patient_name, 'cpip-id-1^fa-1', 'the insert writes the identity the plan matched on');
    assert.equal(first?.patient_weight_lb, '100');
    assert.equal(first?.performed_procedure_step_status, 'SCHEDULED');
    assert.match(first?.study_instance_uid ?? '', new RegExp(`^${STUDY_UID_PREFIX.replace(/\./g, '\\.')}\\d{1,39}$`));

    await db.run("UPDATE worklist_items SET performed_procedure_step_status = 'IN_PROGRESS', patient_sex = 'M' WHERE patient_id = 'sub_1'");
    const second = await writeBatch(db, [entry(1, '2030-03-03'), entry(2, '2030-01-02')]);
    assert.deepEqual([second.inserted, second.updated, second.unchanged], [0, 1, 1]);
    const moved = await db.get<Record<string, string>>('SELECT * FROM worklist_items WHERE patient_id = ?', ['sub_1']);
    assert.equal(moved?.scheduled_start_date, '2030-03-03');
    assert.equal(moved?.performed_procedure_step_status, 'IN_PROGRESS', 'a scan in progress keeps its status');
    assert.equal(moved?.patient_sex, 'M', 'only data_source and the schedule are updated');
    assert.equal(moved?.study_instance_uid, first?.study_instance_uid);

    await db.run("INSERT INTO worklist_items (patient_id, patient_name, scheduled_start_date) VALUES ('sub_2', 'cpip-id-2^fa-1', '1999-01-01')");
    const dup = await writeBatch(db, [entry(2, '2030-05-05')]);
    assert.equal(dup.duplicateKeys, 1);
    const rows = await db.all<{ id: number; scheduled_start_date: string }>("SELECT id, scheduled_start_date FROM worklist_items WHERE patient_id = 'sub_2' ORDER BY id");
    assert.deepEqual(rows.map((r) => r.scheduled_start_date), ['2030-05-05', '1999-01-01'], 'the lowest id is updated, the duplicate left alone');
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM worklist_items'))?.n, 3, 'never deletes');
  } finally {
    await db.close();
  }
});

test('writeBatch is all-or-nothing: a failing statement leaves no row of the batch', async () => {
  const db = await openWorklist(join(dir, 'atomic.db'));
  try {
    await db.exec("CREATE TRIGGER boom BEFORE INSERT ON worklist_items WHEN NEW.patient_id = 'sub_3' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    await assert.rejects(writeBatch(db, [entry(1, '2030-01-01'), entry(2, '2030-01-01'), entry(3, '2030-01-01')]), (e: unknown) => (e as { code?: string }).code === 'WORKLIST_DB_UNUSABLE');
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM worklist_items'))?.n, 0);
  } finally {
    await db.close();
  }
});
