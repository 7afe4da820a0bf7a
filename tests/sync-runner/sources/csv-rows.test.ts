import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { CsvExportError, csvRows, MAX_CSV_RECORD_BYTES, type CsvRow } from '../../../sync-runner/sources/csv-rows.ts';

/** The text as a stream of `size`-byte chunks, so every boundary (inside quotes, inside a CRLF, inside a UTF-8 character) is crossed. */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function rowsOf(text: string, size = 1000): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of csvRows(chunked(text, size))) out.push(row);
  return out;
}

async function errorOf(text: string, size = 4): Promise<CsvExportError> {
  const error = await rowsOf(text, size).then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof CsvExportError, `expected a CsvExportError, got ${String(error)}`);
  return error;
}

test('csvRows: RFC 4180 quoting, CRLF, BOM, blank lines, UTF-8, any chunk size', async () => {
  const text = '\uFEFFa, b ,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"multi\nline",\n3,,Zoë\n';
  const expected = [{ a: '1', b: 'x, y', c: 'say "hi"' }, { a: '2', b: 'multi\nline', c: '' }, { a: '3', b: '', c: 'Zoë' }];
  for (const size of [1, 2, 3, 7, 1000]) assert.deepEqual(await rowsOf(text, size), expected, `chunk size ${size}`);
});

test('csvRows: a short record gets empty cells, cells past the header are dropped, a header alone gives no rows', async () => {
  assert.deepEqual(await rowsOf('a,b,c\n1\n2,x,y,z\n'), [{ a: '1', b: '', c: '' }, { a: '2', b: 'x', c: 'y' }]);
  assert.deepEqual(await rowsOf('a,b\n'), []);
  assert.match((await errorOf('')).message, /no header line/);
});

test('csvRows: a stray quote in an unquoted field (x"y) fails on its line and field, not at the end of the file', async () => {
  const error = await errorOf(`record_id,study_id\n1,S1\n2,SE"CRET\n${'3,S3\n'.repeat(1000)}`);
  assert.equal(error.line, 3);
  assert.match(error.message, /a quote inside an unquoted field on line 3, field 2 \("study_id"\)/);
  assert.ok(!error.message.includes('SE'), 'the field text is never quoted');
});

test('csvRows: an unclosed quote names the line its record starts on and where the file ends', async () => {
  const error = await errorOf('a,b\n1,"open\n2,x\n3,y\n');
  assert.equal(error.line, 2);
  assert.match(error.message, /a quoted field in the record starting on line 2, field 2 \("b"\) is never closed \(the file ends on line 4\)/);
});

test('csvRows: text after a closing quote names its line', async () => {
  const error = await errorOf('a,b\n1,ok\n2,"q"SECRET\n');
  assert.equal(error.line, 3);
  assert.match(error.message, /text after a closing quote on line 3, field 2 \("b"\)/);
  assert.ok(!error.message.includes('SECRET'));
});

test('csvRows: an unclosed quote stops at MAX_CSV_RECORD_BYTES instead of holding the rest of the file', async () => {
  const line = `${'x'.repeat(99)}\n`;
  const error = await errorOf(`a,b\n1,"never closed\n${line.repeat(Math.ceil(MAX_CSV_RECORD_BYTES / line.length) + 10)}`, 64 * 1024);
  assert.equal(error.line, 2);
  assert.match(error.message, /the record starting on line 2 is longer than \d+ bytes by line \d+: most likely a quote that is never closed/);
});
