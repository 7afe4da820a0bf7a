import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { forEachCappedLine } from '../../../supervisor/run/capped-lines.ts';

test('lines split across chunks are joined, long ones cut, CRLF trimmed, and a last line without newline kept', async () => {
  const stream = new PassThrough();
  const seen: Array<[string, boolean]> = [];
  const done = forEachCappedLine(stream, 8, (line, truncated) => seen.push([line, truncated]));
  stream.write('hel');
  stream.write('lo\r\nabcdefghijkl');
  stream.write('mnop\nshort\nta');
  stream.end('il');
  await done;
  assert.deepEqual(seen, [['hello', false], ['abcdefgh', true], ['short', false], ['tail', false]]);
});
