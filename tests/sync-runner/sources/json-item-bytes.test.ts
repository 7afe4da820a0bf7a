import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonArrayItems, JsonExportError } from '../../../sync-runner/sources/json-array-items.ts';
import { JsonItemBytes } from '../../../sync-runner/sources/json-item-bytes.ts';

const ITEMS = [
  { a: '1', b: 'x}{]["\\"', c: 'Zoë ✓ \u{1F600} 中文' },
  { a: 2, n: null, t: true, f: false, nested: { k: [1, 2.5e3, { deep: '}' }] }, e: -0.5 },
  {},
  { 'ké y': '\u2028', list: [] },
];
/** Whitespace inside and between items, a BOM, exponents and a `1.50` that JSON.stringify would have written `1.5`. */
const TEXT = `\uFEFF [\n ${ITEMS.map((item) => JSON.stringify(item, null, 1)).join(' ,\n\t')} , { "x" : 1.50 , "y":1E2 }\n]\n`;
const EXPECTED = [...ITEMS, { x: 1.5, y: 100 }];

/** Feeds `size`-byte chunks, as a reader that reuses its chunk memory does: each chunk is overwritten two chunks later. */
function texts(text: string | Buffer, size: number): string[] {
  const reader = new JsonItemBytes();
  const bytes = Buffer.from(text);
  const buffers = [Buffer.alloc(size), Buffer.alloc(size)];
  const out: string[] = [];
  for (let i = 0, turn = 0; i < bytes.length; i += size, turn = 1 - turn) {
    const chunk = buffers[turn]!.subarray(0, bytes.copy(buffers[turn]!, 0, i, i + size));
    const json = reader.push(chunk);
    if (json !== undefined) out.push(Buffer.from(json).toString('utf8'));
  }
  reader.end();
  return out;
}

const itemsOf = (text: string, size: number) => texts(text, size).flatMap((json) => JSON.parse(json) as unknown[]);

test('JsonItemBytes: JSON.parse of what it hands back gives the items JsonArrayItems builds, whatever the chunking', () => {
  const built = new JsonArrayItems();
  const values = built.push(Buffer.from(TEXT));
  built.end();
  assert.deepEqual(values, EXPECTED);
  for (const size of [1, 2, 3, 5, 7, 17, 64, 10_000]) assert.deepEqual(itemsOf(TEXT, size), EXPECTED, `chunk size ${size}`);
});

test('JsonItemBytes: the items are passed on byte for byte, one `[...]` per chunk that completed any', () => {
  const text = '[{"a": 1.50,\n "b":"é"} ,{"c" :[ ]}]';
  assert.deepEqual(texts(text, 10_000), ['[{"a": 1.50,\n "b":"é"},{"c" :[ ]}]']);
  const bytewise = texts(text, 1);
  assert.deepEqual(bytewise, ['[{"a": 1.50,\n "b":"é"}]', '[{"c" :[ ]}]'], 'an item cut into many chunks comes whole, once');
  assert.deepEqual(texts('[]', 1), []);
});

test('JsonItemBytes refuses what JsonArrayItems refuses, with the same words and offset', () => {
  const malformed = ['{"a":1}', '[1,2]', '[[1]]', '[{"a":1},,{"b":2}]', '[\n{"a":1}\n{"b":2}]', '[,{"a":1}]', '[{"a":1},]',
    '[{"a" 1}]', '[{"a":1},{"b":', '[{"a":1}] x', '', '\uFEFF[{"a":1},,{}]'];
  for (const text of malformed) {
    for (const size of [1, 4, 100]) {
      const expected = errorOf(() => {
        const reader = new JsonArrayItems();
        for (let i = 0; i < Buffer.byteLength(text); i += size) reader.push(Buffer.from(text).subarray(i, i + size));
        reader.end();
      });
      assert.equal(errorOf(() => texts(text, size)).message, expected.message, `${JSON.stringify(text)} in ${size}-byte chunks`);
    }
  }
});

test('JsonItemBytes refuses what JSON.parse would refuse or read otherwise, so its bytes are always safe to parse', () => {
  const item = (inner: Buffer) => Buffer.concat([Buffer.from('[{"ok":1},{"a":'), inner, Buffer.from('}]')]);
  const unparsable = ['"x\ny"', '"x\ty"', '"\\x"', '"\\u12"', '01', '1.', '.5', '+1', 'NaN', 'tru', '\u00a01', '[1,]', '{"b":1,}']
    .map((text) => item(Buffer.from(text)));
  for (const bytes of unparsable) assert.throws(() => JSON.parse(bytes.toString('utf8')) as unknown, SyntaxError, bytes.toString());
  // Invalid UTF-8, which Buffer#toString would quietly turn into U+FFFD.
  const misread = [[0xff], [0xc3, 0x41], [0xed, 0xa0, 0x80], [0xc0, 0xaf]].map((bad) => item(Buffer.from([0x22, ...bad, 0x22])));
  for (const bytes of misread) assert.ok(bytes.toString('utf8').includes('\uFFFD'));
  for (const bytes of [...unparsable, ...misread]) for (const size of [1, 1000]) errorOf(() => texts(bytes, size));
});

function errorOf(run: () => unknown): JsonExportError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof JsonExportError, String(error));
    return error;
  }
  assert.fail('accepted');
}
