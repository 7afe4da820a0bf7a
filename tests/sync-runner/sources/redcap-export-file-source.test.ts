import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { syntheticRecords, toCsv } from '../../../examples/demo/synthetic-records.ts';
import { AppError } from '../../../shared/errors/app-error.ts';
import { requestedFields } from '../../../sync-runner/fields.ts';
import { JSON_THREAD_FROM_BYTES } from '../../../sync-runner/sources/export-file-rows.ts';
import { openExportFileSource } from '../../../sync-runner/sources/redcap-export-file-source.ts';
import type { SourceBatch } from '../../../sync-runner/sources/source.ts';

let dir = '';
before(async () => (dir = await mkdtemp(join(tmpdir(), 'export-file-'))));
after(() => rm(dir, { recursive: true, force: true }));

const requested = requestedFields({ mri_date: 'scheduled_start_date', extra_field: 'study_description' });
const open = (path: string, batchSize = 4) => openExportFileSource({ path, requested, batchSize, signal: new AbortController().signal });

async function collect(batches: AsyncIterable<SourceBatch>): Promise<SourceBatch[]> {
  const out: SourceBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

test('JSON and CSV exports give the same whole-record batches, values as strings, unknown fields named', async () => {
  const rows = syntheticRecords(10, { seed: 3 }).flat();
  await writeFile(join(dir, 'e.json'), JSON.stringify(rows));
  await writeFile(join(dir, 'e.csv'), toCsv(rows));
  const fromJson = await open(join(dir, 'e.json'));
  const fromCsv = await open(join(dir, 'e.csv'));
  assert.deepEqual(fromJson.warnings, ['1 requested field(s) not in the export file\'s columns, so not exported: extra_field']);
  const jsonBatches = await collect(fromJson.batches);
  assert.deepEqual(jsonBatches.map((b) => b.records.length), [4, 4, 2]);
  assert.deepEqual(await collect(fromCsv.batches), jsonBatches);
  for (const batch of jsonBatches) for (const record of batch.records) assert.equal(new Set(record.map((r) => r.row.record_id)).size, 1, 'a record is never split');
  const mriRow = jsonBatches[0]?.records[0]?.[1];
  assert.equal(mriRow?.row.redcap_repeat_instance, '1', 'a numeric repeat instance arrives as a string');
});

test('a missing, empty, truncated or non-array file is EXPORT_FILE_INVALID without quoting its content', async () => {
  await writeFile(join(dir, 'empty.json'), '');
  await writeFile(join(dir, 'cut.json'), '[{"record_id":"1","study_id":"SECRET-7"},{"record_id":"2","stu');
  await writeFile(join(dir, 'object.json'), '{"record_id":"1"}');
  const cases: [string, RegExp][] = [
    ['missing.json', /cannot be read \(ENOENT\)/],
    ['empty.json', /is empty/],
    ['cut.json', /truncated/],
    ['object.json', /not a JSON array/],
  ];
  for (const [name, pattern] of cases) {
    await assert.rejects(open(join(dir, name)).then((s) => collect(s.batches)), (error: unknown) => {
      assert.ok(error instanceof AppError, name);
      assert.equal(error.code, 'EXPORT_FILE_INVALID');
      assert.match(error.message, pattern);
      assert.ok(error.message.includes(join(dir, name)));
      assert.ok(!error.message.includes('SECRET'));
      return true;
    });
  }
});

test('a large JSON export without its record id column is refused and its reader thread stopped, not left to the exit', async () => {
  const rows = Array.from({ length: 8000 }, (_, i) => ({ subject: String(i), note: 'x'.repeat(600) }));
  const path = join(dir, 'no-id.json');
  await writeFile(path, JSON.stringify(rows));
  const workers: Worker[] = [];
  const onWorker = (message: unknown) => void workers.push((message as { worker: Worker }).worker);
  subscribe('worker_threads', onWorker);
  try {
    const refusal = openExportFileSource({ path, requested, recordIdField: 'record_id', batchSize: 4, signal: new AbortController().signal });
    await assert.rejects(refusal, (error: unknown) => error instanceof AppError && error.code === 'EXPORT_FILE_INVALID' && /no record id column "record_id"/.test(error.message));
  } finally {
    unsubscribe('worker_threads', onWorker);
  }
  assert.ok(rows.length * 600 > JSON_THREAD_FROM_BYTES, 'big enough to be read on the reader thread');
  assert.equal(workers.length, 1);
  // A worker's threadId turns -1 once its thread has stopped.
  assert.equal(workers[0]?.threadId, -1);
});
