import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatRedcapDateTime, rangeBegin, readWatermark, WATERMARK_FILE, writeWatermark } from '../../sync-runner/watermark.ts';

test('rangeBegin: full import without a watermark, start − overlap in local time after', () => {
  assert.equal(rangeBegin(undefined, 5), undefined);
  const start = new Date(2030, 0, 15, 10, 3, 7);
  assert.equal(rangeBegin({ lastSuccessStart: start.toISOString(), fingerprint: 'f' }, 5), '2030-01-15 09:58:07');
  assert.equal(formatRedcapDateTime(new Date(2030, 11, 31, 23, 59, 59)), '2030-12-31 23:59:59');
});

test('watermarks survive per source, reset on a fingerprint change, and tolerate a torn file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'watermark-'));
  try {
    assert.equal(await readWatermark(dir, 'a', 'f1'), undefined);
    await writeWatermark(dir, 'a', { lastSuccessStart: '2030-01-01T00:00:00.000Z', fingerprint: 'f1' });
    await writeWatermark(dir, 'b', { lastSuccessStart: '2030-01-02T00:00:00.000Z', fingerprint: 'f2' });
    assert.equal((await readWatermark(dir, 'a', 'f1'))?.lastSuccessStart, '2030-01-01T00:00:00.000Z');
    assert.equal(await readWatermark(dir, 'a', 'other settings'), undefined);
    assert.deepEqual(await readdir(dir), [WATERMARK_FILE], 'no temp file left behind');
    await writeFile(join(dir, WATERMARK_FILE), '{"version":1,"sour');
    assert.equal(await readWatermark(dir, 'b', 'f2'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the watermark file is 0600 and a data dir it creates 0700, even under umask 000', async (t) => {
  const restore = process.umask(0o000);
  t.after(() => process.umask(restore));
  const root = await mkdtemp(join(tmpdir(), 'watermark-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dataDir = join(root, 'data');
  await writeWatermark(dataDir, 'a', { lastSuccessStart: '2030-01-01T00:00:00.000Z', fingerprint: 'f1' });
  await writeWatermark(dataDir, 'b', { lastSuccessStart: '2030-01-02T00:00:00.000Z', fingerprint: 'f2' });
  const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8);
  assert.equal(await mode(dataDir), '700');
  assert.equal(await mode(join(dataDir, WATERMARK_FILE)), '600', 'each rewrite replaces the file with a private one');
});
