import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.ts';
import { fileChunks } from '../../../sync-runner/sources/file-chunks.ts';

test('fileChunks: the whole file in chunks of the given size, the last one short; nothing for an empty file', async () => {
  const dir = await tempDir('file-chunks-');
  const bytes = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
  await writeFile(join(dir, 'f'), bytes);
  await writeFile(join(dir, 'empty'), '');
  const sizes: number[] = [];
  const copies: Buffer[] = [];
  for await (const chunk of fileChunks(join(dir, 'f'), 1000)) {
    sizes.push(chunk.length);
    copies.push(Buffer.from(chunk)); // a chunk's memory is reused two chunks later
  }
  assert.deepEqual(sizes, [1000, 1000, 500]);
  assert.deepEqual(Buffer.concat(copies), bytes);
  for await (const chunk of fileChunks(join(dir, 'empty'), 1000)) assert.fail(`a chunk of ${chunk.length} bytes`);
  await assert.rejects(fileChunks(join(dir, 'missing'), 1000).next(), { code: 'ENOENT' });
});
