// The log file transport on a healthy disk: every line lands, in order, rotated by size into name1…name{maxFiles-1}, 0600.
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { closeLogger, createLogger } from '../../shared/logger.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('the log file rotates by size, keeps maxFiles files, loses no line, and is owner-only', async () => {
  const dir = await tempDir('logger-file-');
  const consoleStream = new PassThrough();
  consoleStream.resume();
  const logger = createLogger({ dir, consoleStream, maxFileBytes: 2000, maxFiles: 3 });
  for (let i = 0; i < 40; i++) logger.info(`line ${i} ${'z'.repeat(60)}`);
  await closeLogger(logger);
  assert.deepEqual((await readdir(dir)).sort(), ['supervisor.jsonl', 'supervisor1.jsonl', 'supervisor2.jsonl']);
  const newest = (await readFile(join(dir, 'supervisor.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { message: string });
  assert.match(newest.at(-1)?.message ?? '', /^line 39 /, 'the last line before close is in the file');
  const kept: number[] = [];
  for (const name of ['supervisor2.jsonl', 'supervisor1.jsonl', 'supervisor.jsonl']) {
    assert.equal((await stat(join(dir, name))).mode & 0o777, 0o600, name);
    kept.push(...(await readFile(join(dir, name), 'utf8')).trimEnd().split('\n').map((l) => Number(/line (\d+)/.exec(l)?.[1])));
  }
  assert.deepEqual(kept, kept.map((_, i) => kept[0]! + i), 'consecutive lines, none lost or repeated across the kept files');
});
