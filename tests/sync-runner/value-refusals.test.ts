// Record values a worklist cannot hold: objects, arrays, booleans and null where REDCap exports text, and values far
// longer than their worklist column (a 10 MB birth date). Through the stand-in REDCap API and a JSON export file:
// those rows are skipped with a bounded warning naming the record and field, the good rows sync, the run is ok and
// its `skipped` count says how many rows were left out.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { syntheticRecords } from '../../examples/demo/synthetic-records.ts';
import type { ResultMessage, SourceResult } from '../../shared/protocol.ts';
import type { ExportRow } from '../fixtures/redcap-server.ts';
import { useRedcapSuite } from '../helpers/redcap-suite.ts';
import { runRunner } from '../helpers/runner-process.ts';
import { dumpWorklist, redcapConfig, STANDARD_MAPPING, type Workspace } from '../helpers/runner-workspace.ts';

const TEN_MB = 10 * 1024 * 1024;

/** A record with a baseline and two complete MRI sessions; `change` edits them (0 = baseline). */
function record(id: number, change: (rows: ExportRow[]) => void = () => undefined): ExportRow[] {
  const base = { record_id: String(id), redcap_repeat_instance: '', study_id: '', family_id: '', youth_dob_y: '', demo_sex: '', mri_instance: '', mri_date: '', mri_time: '' };
  const rows: ExportRow[] = [
    { ...base, redcap_repeat_instrument: '', study_id: `BAD-${id}`, family_id: `FAM-${id}`, youth_dob_y: '2012', demo_sex: '1' },
    { ...base, redcap_repeat_instrument: 'mri', redcap_repeat_instance: 1, mri_instance: '1', mri_date: '2031-03-01', mri_time: '09:00:00' },
    { ...base, redcap_repeat_instrument: 'mri', redcap_repeat_instance: 2, mri_instance: '2', mri_date: '2031-04-01', mri_time: '10:00:00' },
  ];
  change(rows);
  return rows;
}

const set = (index: number, field: string, value: unknown) => (rows: ExportRow[]) => void ((rows[index] as ExportRow)[field] = value);

const GOOD = syntheticRecords(8, { seed: 31 });
const BAD = [
  record(101, set(0, 'family_id', { text: 'FAM-101' })), // baseline: the whole record (2 MRI rows)
  record(102, set(2, 'mri_date', ['2031-04-01'])), // one session: that row only
  record(103, set(0, 'demo_sex', true)),
  record(104, set(0, 'study_id', null)),
  record(105, set(0, 'youth_dob_y', '1'.repeat(TEN_MB))), // 2 MRI rows, each refused for patient_birth_date
  record(106, set(0, 'study_id', `BAD-${'6'.repeat(80)}`)), // patient_id past LO 64, for both rows
];
const GOOD_MRI_ROWS = GOOD.flat().filter((r) => r.redcap_repeat_instrument === 'mri').length;

const redcap = useRedcapSuite([...GOOD, ...BAD]);
const sync = (ws: Workspace) => runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], env: redcap.env() });

async function assertRefusedAndSynced(ws: Workspace, run: Awaited<ReturnType<typeof sync>>): Promise<void> {
  assert.equal(run.code, 0, run.stderr.slice(0, 2000));
  const result = run.messages.find((m): m is ResultMessage => m.type === 'result')?.sources[0] as SourceResult;
  assert.equal(result.status, 'ok');
  assert.equal(result.mriRows, GOOD_MRI_ROWS + 12);
  assert.equal(result.skipped, 11, 'every MRI row of 101, 103-106 and session 2 of 102');
  assert.equal(result.inserted, GOOD_MRI_ROWS + 1);
  const warning = result.warnings.find((w) => w.includes('not text or too long')) ?? '';
  assert.match(warning, /^11 MRI row\(s\) skipped for 8 value\(s\) that are not text or too long for their worklist column: /);
  assert.match(warning, /record "101": family_id is an object, not text; record "102": mri_date is an array, not text; record "103": demo_sex is a boolean, not text; record "104": study_id is null, not text; record "105": patient_birth_date \(field youth_dob_y\) is 10485760 characters, at most 10; and 3 more$/);
  assert.match(run.stderr, /warn.*source main: 11 MRI row\(s\) skipped .*record "101"/, 'the warning reaches the log');
  assert.ok(run.stderr.length < 20_000 && !run.stderr.includes('1111111111'), 'the log never carries the long value');

  const rows = await dumpWorklist(ws.dbPath);
  assert.equal(rows.length, GOOD_MRI_ROWS + 1);
  const fromBad = rows.filter((r) => String(r.patient_id).startsWith('sub_10'));
  assert.deepEqual(fromBad.map((r) => [r.patient_id, r.scheduled_start_date]), [['sub_102_ses_1_fam_102_site_uofc', '2031-03-01']], 'of the bad records, only 102\'s first session');
  for (const r of rows) assert.doesNotMatch(`${r.patient_id} ${r.patient_name} ${r.patient_sex} ${r.patient_birth_date}`, /[{}[\]]|true|null|object/, 'nothing stringified into a row');
}

test('the REDCap API: wrongly typed and overlong values skip their rows with a warning naming record and field; good rows sync', async () => {
  const ws = await redcap.workspace((w) => redcapConfig(w, { batch_size: 50 }));
  await assertRefusedAndSynced(ws, await sync(ws));
});

test('a JSON export file: the same rows are refused the same way', async () => {
  const ws = await redcap.workspace();
  await writeFile(join(ws.dir, 'export.json'), JSON.stringify([...GOOD, ...BAD].flat()));
  await ws.writeConfig({
    db_path: ws.dbPath,
    data_sources: [{ name: 'main', type: 'redcap-export', config: { site: 'uofc', protocol: 'BRAIN_MRI', path: 'export.json', batch_size: 4 }, field_mapping: STANDARD_MAPPING }],
  });
  await assertRefusedAndSynced(ws, await runRunner({ cwd: ws.dir, args: ['--pylantir-config', ws.configPath, '--data-dir', ws.dataDir] }));
});
