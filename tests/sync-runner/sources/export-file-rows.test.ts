import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.ts';
import { readExportFile, type FileRow } from '../../../sync-runner/sources/export-file-rows.ts';
import { JsonArrayItems, JsonExportError } from '../../../sync-runner/sources/json-array-items.ts';

// readExportFile on JSON, both ways: here (a small file) and on a second thread (a large one, or any file when the
// threshold is 0). The two must agree on rows and on errors, word for word.

const dir = await tempDir('export-file-rows-');

/** Where the reader thread cuts the file: its first message, then its 256 KiB reads. */
const CUTS = [16 * 1024, 256 * 1024, 512 * 1024];

/** ~600 KB of records whose text is mostly 4-byte characters, shifted until every cut falls inside one of them. */
function exportCutInsideCharacters(): Buffer {
  const items = Array.from({ length: 700 }, (_, i) => ({ record_id: String(i), note: `Zoë ${'\u{1F600}'.repeat(200)}`, n: i / 4, flag: i % 2 === 0 }));
  const body = `[\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n]\n`;
  for (let pad = 0; pad < 64; pad++) {
    const bytes = Buffer.from(' '.repeat(pad) + body);
    if (CUTS.every((cut) => (bytes[cut]! & 0xc0) === 0x80)) return bytes; // a UTF-8 continuation byte: mid-character
  }
  throw new Error('no shift puts every cut inside a character');
}

const THREAD = 0;
const HERE = Number.POSITIVE_INFINITY;

async function rowsOf(path: string, threadFromBytes: number): Promise<{ groups: number; rows: FileRow[] }> {
  let groups = 0;
  const rows: FileRow[] = [];
  for await (const group of readExportFile(path, 'json', new AbortController().signal, threadFromBytes)) {
    groups++;
    rows.push(...group);
  }
  return { groups, rows };
}

/** The error JsonArrayItems gives for `bytes` on the main thread, as the reference for the thread's. */
function inProcessError(bytes: Buffer): JsonExportError {
  try {
    const reader = new JsonArrayItems();
    reader.push(bytes);
    reader.end();
  } catch (error) {
    assert.ok(error instanceof JsonExportError);
    return error;
  }
  assert.fail('accepted in process');
}

test('readExportFile (JSON): the rows JSON.parse gives for the whole file, items and characters cut by every read', async () => {
  const bytes = exportCutInsideCharacters();
  await writeFile(join(dir, 'big.json'), bytes);
  const expected = JSON.parse(bytes.toString('utf8')) as unknown;
  for (const threadFromBytes of [THREAD, HERE]) {
    const { groups, rows } = await rowsOf(join(dir, 'big.json'), threadFromBytes);
    assert.deepEqual(rows, expected);
    assert.ok(groups >= CUTS.length, `one group per read that completed items (${groups})`);
  }
});

test('readExportFile (JSON): a thread is started only from the size threshold on', async () => {
  await writeFile(join(dir, 'small.json'), '[{"record_id":"1"}]');
  const started: unknown[] = [];
  const onWorker = (message: unknown) => void started.push(message);
  subscribe('worker_threads', onWorker);
  try {
    assert.equal((await rowsOf(join(dir, 'small.json'), 20)).rows.length, 1);
    assert.equal(started.length, 0, 'a 19-byte file under a 20-byte threshold is read here');
    assert.equal((await rowsOf(join(dir, 'small.json'), 19)).rows.length, 1);
    assert.equal(started.length, 1, 'at the threshold it is read on a thread');
  } finally {
    unsubscribe('worker_threads', onWorker);
  }
});

test('readExportFile (JSON): each malformed file fails as JsonArrayItems words it, position included, content never', async () => {
  const malformed = ['{"a":1}', '5', '[1,2]', '[{"a":1},\n "a"]', '[[1]]', '[{"a":1},{"b":', '[{"a":1}', '[{"a":1}] x', '', '  \n ',
    '[{"a":1},,{"b":2}]', '[\n{"a":1}\n{"b":2}]', '[,{"a":1}]', '[{"a":1},]', '[{"a" 1}]', '\uFEFF[{"a":1},,{}]',
    '[{"id":"1","name":SECRET}]', '[{"id":"1"} "SECRET"]', '[{"id":"1","name":"SECRET"}', '[{"id":"SECRET" "x"}]'];
  await Promise.all(malformed.map(async (text, i) => {
    const path = join(dir, `malformed-${i}.json`);
    await writeFile(path, text);
    const expected = inProcessError(Buffer.from(text));
    await assert.rejects(rowsOf(path, THREAD), (error: unknown) => {
      assert.ok(error instanceof JsonExportError, `${JSON.stringify(text)}: ${String(error)}`);
      assert.equal(error.message, expected.message, JSON.stringify(text));
      assert.equal(error.byteOffset, expected.byteOffset);
      assert.match(error.message, /at byte \d+/);
      assert.ok(!error.message.includes('SECRET'), error.message);
      return true;
    });
    await assert.rejects(rowsOf(path, HERE), { message: expected.message });
  }));
});

test('readExportFile (JSON): a file cut off after several reads yields the rows before the cut, then the truncation', async () => {
  const bytes = exportCutInsideCharacters().subarray(0, 600_000);
  const path = join(dir, 'cut.json');
  await writeFile(path, bytes);
  const rows: FileRow[] = [];
  const failure = await (async () => {
    for await (const group of readExportFile(path, 'json', new AbortController().signal, THREAD)) rows.push(...group);
  })().then(() => undefined, (error: unknown) => error);
  assert.ok(failure instanceof JsonExportError, String(failure));
  assert.equal(failure.message, inProcessError(bytes).message);
  assert.match(failure.message, /it ends before the closing "\]" \(truncated\) at byte 600000 \(line \d+\)/);
  assert.ok(rows.length > 500, `the complete records before the cut came through (${rows.length})`);
});

test('readExportFile (JSON): a file that cannot be read fails with its error code', async () => {
  await mkdir(join(dir, 'folder.json'));
  for (const threadFromBytes of [THREAD, HERE]) {
    await assert.rejects(rowsOf(join(dir, 'folder.json'), threadFromBytes), { code: 'EISDIR' });
    await assert.rejects(rowsOf(join(dir, 'missing.json'), threadFromBytes), { code: 'ENOENT' });
  }
});
