import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonArraySplitter } from '../../../sync-runner/sources/json-array-splitter.ts';

function split(text: string, size: number): unknown[] {
  const splitter = new JsonArraySplitter();
  const out: unknown[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...splitter.push(text.slice(i, i + size)).map((t) => JSON.parse(t)));
  splitter.end();
  return out;
}

test('JsonArraySplitter yields each object, whatever the chunking, strings with braces included', () => {
  const items = [{ a: '1', b: 'x}{]["\\"' }, { a: 2, n: null, nested: { k: [1, 2] } }, {}];
  const text = ` \n${JSON.stringify(items, null, 1)}\n`;
  for (const size of [1, 3, 17, 10_000]) assert.deepEqual(split(text, size), items, `chunk size ${size}`);
  assert.deepEqual(split('[]', 1), []);
});

test('JsonArraySplitter refuses what is not an array of objects, and truncation', () => {
  const cases: [string, RegExp][] = [
    ['{"a":1}', /not a JSON array/],
    ['[1,2]', /not an object/],
    ['["a"]', /not an object/],
    ['[[1]]', /array, not an object/],
    ['[{"a":1},{"b":', /truncated/],
    ['[{"a":1}] x', /after the closing/],
    ['', /empty/],
  ];
  for (const [text, pattern] of cases) assert.throws(() => split(text, 4), pattern, text);
});
