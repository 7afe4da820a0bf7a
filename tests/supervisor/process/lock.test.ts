import assert from 'node:assert/strict';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAppError } from '../../../shared/errors/app-error.ts';
import { readSnapshot, snapshotDigest } from '../../../supervisor/process/lock-file.ts';
import { acquireLock } from '../../../supervisor/process/lock.ts';
import { bundleContender, deadHolder, raceForLock } from '../../helpers/lock-race.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const options = { staleAfterMs: 300_000 };

test('50 supervisors starting at once against one stale lock: exactly one takes it', { timeout: 90_000 }, async () => {
  const script = await bundleContender(await tempDir());
  const dir = await tempDir();
  const lockPath = join(dir, 'supervisor.lock');
  await writeFile(lockPath, await deadHolder());
  const { results } = await raceForLock(script, lockPath, 50);
  assert.equal(results.filter((r) => r === 'ACQUIRED').length, 1, results.join('\n'));
  assert.deepEqual([...new Set(results.filter((r) => r !== 'ACQUIRED'))], ['REFUSED LOCK_HELD']);
  assert.deepEqual(await readdir(dir), [], 'the holder released the lock, and no temp file or takeover claim is left');
});

test('the lock file is created mode 0600 whatever the umask, and is never seen without its holder', async () => {
  const dir = await tempDir();
  const lockPath = join(dir, 'supervisor.lock');
  const previous = process.umask(0o277); // would leave 0400 of a 0600 create, 0400 of writeFile's 0666 too
  try {
    const held = await acquireLock(lockPath, Date.now(), options);
    assert.equal((await stat(lockPath)).mode & 0o777, 0o600);
    assert.equal(JSON.parse((await readSnapshot(lockPath))?.text ?? '{}').pid, process.pid);
    await held.release();
  } finally {
    process.umask(previous);
  }
});

test('touch reports a lost lock and a failed heartbeat instead of swallowing them', async () => {
  const dir = await tempDir();
  const lockPath = join(dir, 'supervisor.lock');
  const held = await acquireLock(lockPath, Date.now(), options);
  assert.equal(await held.touch(), undefined);
  await writeFile(lockPath, JSON.stringify({ pid: 1, startTicks: null, startedAtMs: 0, host: 'another-host' }));
  const lost = await held.touch();
  assert.ok(isAppError(lost) && lost.code === 'LOCK_HELD', String(lost));
  await rm(dir, { recursive: true });
  const failed = await held.touch();
  assert.ok(isAppError(failed), String(failed));
  await held.release(); // nothing of ours is left to remove, and that is no error
});

test('a takeover claim left by a taker that died mid-takeover does not block the next start', async () => {
  const dir = await tempDir();
  const lockPath = join(dir, 'supervisor.lock');
  await writeFile(lockPath, await deadHolder());
  const stale = await readSnapshot(lockPath);
  assert.ok(stale);
  await writeFile(`${lockPath}.takeover-${snapshotDigest(stale)}`, await deadHolder());
  const held = await acquireLock(lockPath, Date.now(), options);
  assert.ok(held.tookOverFrom);
  assert.deepEqual(await readdir(dir), ['supervisor.lock']);
  await held.release();
});
