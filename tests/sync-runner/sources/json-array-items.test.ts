import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonArrayItems, JsonExportError } from '../../../sync-runner/sources/json-array-items.ts';

/** Feeds the text in `size`-byte chunks, so every boundary (inside strings, numbers, literals, UTF-8) is crossed. */
function items(text: string, size: number): unknown[] {
  const reader = new JsonArrayItems();
  const bytes = Buffer.from(text);
  const out: unknown[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...reader.push(bytes.subarray(i, i + size)));
  reader.end();
  return out;
}

function errorOf(text: string, size = 4): JsonExportError {
  try {
    items(text, size);
  } catch (error) {
    assert.ok(error instanceof JsonExportError, `${text}: ${String(error)}`);
    return error;
  }
  assert.fail(`${text}: accepted`);
}

test('JsonArrayItems yields each object, whatever the chunking, strings with braces, escapes and UTF-8 included', () => {
  const items_ = [{ a: '1', b: 'x}{]["\\"', c: 'Zoë ✓ \u{1F600}' }, { a: 2, n: null, t: true, nested: { k: [1, 2.5e3] } }, {}];
  const text = `\uFEFF \n${JSON.stringify(items_, null, 1)}\n`;
  for (const size of [1, 3, 17, 10_000]) assert.deepEqual(items(text, size), items_, `chunk size ${size}`);
  assert.deepEqual(items('[]', 1), []);
});

test('JsonArrayItems refuses what is not an array of objects, and truncation, naming the byte (and line)', () => {
  const cases: [string, RegExp, number][] = [
    ['{"a":1}', /it does not start with "\[" \(not a JSON array\) at byte 0 \(line 1\)/, 0],
    ['5', /not a JSON array\) at byte 0/, 0],
    ['[1,2]', /an array item is not an object at byte 1 \(line 1\)/, 1],
    ['[{"a":1},\n "a"]', /an array item is not an object at byte 11 \(line 2\)/, 11],
    ['[[1]]', /an array item is an array, not an object at byte 1/, 1],
    ['[{"a":1},{"b":', /it ends before the closing "\]" \(truncated\) at byte 14 \(line 1\)/, 14],
    ['[{"a":1}', /truncated\) at byte 8/, 8],
    ['[{"a":1}] x', /there is text after the closing "\]" at byte 10 \(line 1\)/, 10],
    ['', /it is empty at byte 0/, 0],
    ['  \n ', /it is empty/, 4],
  ];
  for (const [text, pattern, offset] of cases) {
    const error = errorOf(text);
    assert.match(error.message, pattern, text);
    assert.equal(error.byteOffset, offset, text);
  }
});

test('JsonArrayItems refuses the three malformed arrays the old splitter let through, naming the offending byte', () => {
  const cases: [string, RegExp, number][] = [
    ['[{"a":1},,{"b":2}]', /unexpected "," at byte 9 \(line 1\)/, 9],
    ['[\n{"a":1}\n{"b":2}]', /unexpected "\{" at byte 10 \(line 3\)/, 10],
    ['[,{"a":1}]', /unexpected "," at byte 1 \(line 1\)/, 1],
    ['[{"a":1},]', /unexpected "\]" at byte 9/, 9],
    ['[{"a" 1}]', /unexpected a number at byte 6/, 6],
  ];
  for (const [text, pattern, offset] of cases) {
    for (const size of [1, 4, 100]) {
      const error = errorOf(text, size);
      assert.match(error.message, pattern, `${text} in ${size}-byte chunks`);
      assert.equal(error.byteOffset, offset, text);
    }
  }
});

test('JsonArrayItems never quotes record content in an error', () => {
  for (const text of ['[{"id":"1","name":SECRET}]', '[{"id":"1"} "SECRET"]', '[{"id":"1","name":"SECRET"}', '[{"id":"SECRET" "x"}]']) {
    const error = errorOf(text);
    assert.ok(!error.message.includes('SECRET'), `${text}: ${error.message}`);
    assert.match(error.message, /at byte \d+/);
  }
});

test('JsonArrayItems counts a byte-order mark in its offsets, as the tokenizer does in its own errors', () => {
  const cases: [string, RegExp, number][] = [
    ['\uFEFF[{"a":1},,{"b":2}]', /unexpected "," at byte 12 \(line 1\)/, 12],
    ['\uFEFF\n[1]', /an array item is not an object at byte 5 \(line 2\)/, 5],
    ['\uFEFF[{"a":1}] x', /there is text after the closing "\]" at byte 13/, 13],
  ];
  for (const [text, pattern, offset] of cases) {
    for (const size of [1, 2, 100]) {
      const error = errorOf(text, size);
      assert.match(error.message, pattern, `${text} in ${size}-byte chunks`);
      assert.equal(error.byteOffset, offset, text);
    }
  }
});
