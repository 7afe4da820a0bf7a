// transformBatch, table-driven: whole records as read in; entries and the counts of what was kept and skipped out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_BATCH_COUNTS, type BatchCounts } from '../../sync-runner/batch-counts.ts';
import type { RawRow, ReadRecord, ReadRow } from '../../sync-runner/records.ts';
import { transformBatch, type BatchSettings } from '../../sync-runner/transform-batch.ts';

const settings: BatchSettings = {
  site: 'uofc',
  protocol: 'BRAIN_MRI',
  fieldMapping: { youth_dob_y: 'patient_birth_date', demo_sex: 'patient_sex', mri_date: 'scheduled_start_date', mri_time: 'scheduled_start_time' },
  idField: 'record_id',
};

const ok = (row: RawRow): ReadRow => ({ row, refused: [] });
const notText = (row: RawRow, ...fields: string[]): ReadRow => ({ row, refused: fields.map((field) => ({ field, problem: 'is an object, not text' })) });
const baseline = (id: string, over: Record<string, string> = {}): RawRow => ({ record_id: id, redcap_repeat_instrument: '', study_id: `CPIP-${id}`, family_id: 'FAM-1', youth_dob_y: '2009', ...over });
const mri = (id: string, instance: string, over: Record<string, string> = {}): RawRow => ({ record_id: id, redcap_repeat_instrument: 'mri', mri_instance: instance, mri_date: '2030-02-07', mri_time: '09:30', ...over });
const record = (id: string, sessions: number): ReadRecord => [ok(baseline(id)), ...Array.from({ length: sessions }, (_, i) => ok(mri(id, String(i + 1))))];
const counts = (over: Partial<BatchCounts>): BatchCounts => ({ ...NO_BATCH_COUNTS, ...over });
const refusal = (recordId: string, field: string, problem = 'is an object, not text') => ({ recordId, field, problem });

interface Case {
  readonly name: string;
  readonly records: readonly ReadRecord[];
  /** Each entry as `patientId <- record/instance` (no origin: `patientId <- ?`). */
  readonly entries: readonly string[];
  readonly counts: BatchCounts;
}

const cases: Case[] = [
  { name: 'an empty batch', records: [], entries: [], counts: NO_BATCH_COUNTS },
  {
    name: 'clean records: one entry per MRI session, linked to its record and instance',
    records: [record('7', 2), record('8', 1)],
    entries: ['sub_7_ses_1_fam_1_site_uofc <- 7/1', 'sub_7_ses_2_fam_1_site_uofc <- 7/2', 'sub_8_ses_1_fam_1_site_uofc <- 8/1'],
    counts: counts({ records: 2, mriRows: 3 }),
  },
  {
    name: 'incomplete MRI rows and other instruments are not MRI sessions and are not counted',
    records: [[ok(baseline('7')), ok(mri('7', '1', { mri_date: '' })), ok(mri('7', '2', { mri_time: 'NaN' })), ok({ ...mri('7', '3'), redcap_repeat_instrument: 'visit' })]],
    entries: [],
    counts: counts({ records: 1 }),
  },
  {
    name: 'a value refused in an MRI row costs that row only',
    records: [[ok(baseline('7')), notText(mri('7', '1'), 'mri_date'), ok(mri('7', '2'))]],
    entries: ['sub_7_ses_2_fam_1_site_uofc <- 7/2'],
    counts: counts({ records: 1, mriRows: 2, refusedRows: 1, refusals: 1, refusalExamples: [refusal('7', 'mri_date')] }),
  },
  {
    name: 'a value refused in the baseline costs every MRI row of the record, which still counts as fetched',
    records: [[notText(baseline('7'), 'family_id', 'demo_sex'), ok(mri('7', '1')), ok(mri('7', '2', { mri_date: '' }))], record('8', 1)],
    entries: ['sub_8_ses_1_fam_1_site_uofc <- 8/1'],
    counts: counts({ records: 2, mriRows: 3, refusedRows: 2, refusals: 2, refusalExamples: [refusal('7', 'family_id'), refusal('7', 'demo_sex')] }),
  },
  {
    name: 'no readable record id: the refusal names none, and a row without one is written unlinked',
    records: [[notText({ redcap_repeat_instrument: '' }, 'record_id')], [ok(baseline('9', { record_id: '' })), ok(mri('9', '1', { record_id: 'NaN' }))]],
    entries: ['sub_9_ses_1_fam_1_site_uofc <- ?'],
    counts: counts({ records: 2, mriRows: 1, refusals: 1, refusalExamples: [refusal('(no readable id)', 'record_id')] }),
  },
  {
    name: 'no study_id: skipped and counted',
    records: [[ok(baseline('7', { study_id: 'NaN' })), ok(mri('7', '1')), ok(mri('7', '2', { study_id: 'CPIP-70' }))]],
    entries: ['sub_70_ses_2_fam_1_site_uofc <- 7/2'],
    counts: counts({ records: 1, mriRows: 2, missingStudyId: 1 }),
  },
  {
    name: 'a value too long for its column refuses its row, named by column and field, never quoted',
    records: [[ok(baseline('7')), ok(mri('7', '1', { demo_sex: 'x'.repeat(17) })), ok(mri('7', '2'))]],
    entries: ['sub_7_ses_2_fam_1_site_uofc <- 7/2'],
    counts: counts({ records: 1, mriRows: 2, refusedRows: 1, refusals: 1, refusalExamples: [refusal('7', 'patient_sex (field demo_sex)', 'is 17 characters, at most 16')] }),
  },
  {
    name: 'unreadable dates and times are counted and the entry kept',
    records: [[ok(baseline('7')), ok(mri('7', '1', { mri_date: 'next week' })), ok(mri('7', '2', { mri_time: 'later' })), ok(mri('7', '3', { mri_date: 'soon', mri_time: 'then' }))]],
    entries: ['sub_7_ses_1_fam_1_site_uofc <- 7/1', 'sub_7_ses_2_fam_1_site_uofc <- 7/2', 'sub_7_ses_3_fam_1_site_uofc <- 7/3'],
    counts: counts({ records: 1, mriRows: 3, unreadableDates: 2, unreadableTimes: 2 }),
  },
  {
    name: 'examples: values that are not text first, then values too long, five at most; every refusal counted',
    records: [
      [ok(baseline('1')), ok(mri('1', '1', { youth_dob_y: '2009-01-01-x' }))],
      [ok(baseline('2')), notText(mri('2', '1'), 'a', 'b', 'c'), notText(mri('2', '2'), 'd')],
      [notText(baseline('3'), 'e', 'f'), ok(mri('3', '1'))],
    ],
    entries: [],
    counts: counts({
      records: 3, mriRows: 4, refusedRows: 4, refusals: 7,
      refusalExamples: [refusal('2', 'a'), refusal('2', 'b'), refusal('2', 'c'), refusal('2', 'd'), refusal('3', 'e')],
    }),
  },
];

for (const c of cases) {
  test(`transformBatch: ${c.name}`, () => {
    const { entries, counts: got } = transformBatch(c.records, settings);
    assert.deepEqual(entries.map((e) => `${e.patientId} <- ${e.origin === undefined ? '?' : `${e.origin.record}/${e.origin.instance}`}`), c.entries);
    assert.deepEqual(got, c.counts);
  });
}

test('transformBatch: an entry holds the identity once, and the columns Pylantir writes', () => {
  const { entries } = transformBatch([record('42', 1)], settings);
  assert.deepEqual(entries, [{
    patientId: 'sub_42_ses_1_fam_1_site_uofc',
    patientName: 'cpip-id-42^fa-1',
    columns: { modality: 'MR', protocol_name: 'BRAIN_MRI', patient_birth_date: '2009', scheduled_start_date: '2030-02-07', scheduled_start_time: '09:30', data_source: 'REDCap' },
    origin: { record: '42', instance: '1' },
  }]);
});
