import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { ReaderMessage } from '../../../sync-runner/sources/json-export-messages.ts';
import { startModuleWorker } from '../../../sync-runner/sources/module-worker.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const dir = await tempDir('module-worker-');
const EXPORT = join(dir, 'export.json');
const RECORDS = [{ record_id: '1', note: 'Zoë' }, { record_id: '2', note: '✓' }];
await writeFile(EXPORT, JSON.stringify(RECORDS));

test('under tsx, the .ts worker next to the calling module runs, with its TypeScript imports', { timeout: 20_000 }, async () => {
  const beside = new URL('../../../sync-runner/sources/json-export-thread.ts', import.meta.url).href;
  const worker = startModuleWorker('json-export-worker', beside, { workerData: { path: EXPORT } });
  const messages: ReaderMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: ReaderMessage) => (messages.push(message), message.kind === 'end' && resolve()));
    worker.on('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(messages.map((m) => m.kind), ['items', 'end']);
  const first = messages[0];
  assert.ok(first?.kind === 'items');
  assert.deepEqual(JSON.parse(Buffer.from(first.json).toString('utf8')), RECORDS);
});

// Like tests/supervisor/memory/tune-heap.test.ts, this one runs dist/, which `npm test` builds first.
test('built, plain node (no tsx) starts the .js worker next to the compiled module', { timeout: 20_000 }, async () => {
  const rows = new URL('../../../dist/sync-runner/sources/export-file-rows.js', import.meta.url).href;
  const script = `
    import { subscribe } from 'node:diagnostics_channel';
    import { readExportFile } from ${JSON.stringify(rows)};
    let workers = 0;
    subscribe('worker_threads', () => workers++);
    const records = [];
    for await (const group of readExportFile(${JSON.stringify(EXPORT)}, 'json', new AbortController().signal, 0)) records.push(...group);
    process.stdout.write(JSON.stringify({ workers, records }));`;
  // A file, not --eval: a worker inherits the parent's flags, and --input-type is refused with a file entry.
  const file = join(dir, 'read-built.mjs');
  await writeFile(file, script);
  const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 15_000 });
  assert.deepEqual(JSON.parse(stdout), { workers: 1, records: RECORDS });
});
