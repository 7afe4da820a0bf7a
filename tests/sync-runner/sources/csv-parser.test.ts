import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvParser } from '../../../sync-runner/sources/csv-parser.ts';

function parseInChunks(text: string, size: number): string[][] {
  const parser = new CsvParser();
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
  return [...out, ...parser.end()];
}

test('CsvParser: RFC 4180 quoting, CRLF, BOM, blank lines, any chunk size', () => {
  const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"multi\nline",\n3,,last';
  const expected = [['a', 'b', 'c'], ['1', 'x, y', 'say "hi"'], ['2', 'multi\nline', ''], ['3', '', 'last']];
  for (const size of [1, 2, 3, 7, 1000]) assert.deepEqual(parseInChunks(text, size), expected, `chunk size ${size}`);
});

test('CsvParser: an unclosed quote is an error', () => {
  assert.throws(() => parseInChunks('a,b\n1,"open', 4), /ends inside a quoted field/);
});
