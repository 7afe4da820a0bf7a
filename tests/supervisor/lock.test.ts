import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isAppError } from '../../shared/errors/app-error.ts';
import { readSnapshot, snapshotDigest } from '../../supervisor/lock-file.ts';
import { acquireLock } from '../../supervisor/lock.ts';
import { fixture } from '../helpers/harness.ts';
import { tsxLoader } from '../helpers/spawn-supervisor.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const options = { staleAfterMs: 300_000 };

/** The pid of a process that has exited; startTicks 1 makes the record stale even if the pid is reused meanwhile. */
async function deadHolder(): Promise<string> {
  const dead = spawn(process.execPath, ['-e', '']);
  await once(dead, 'exit');
  return JSON.stringify({ pid: dead.pid, startTicks: 1, startedAtMs: 0, host: hostname() });
}

/**
 * The contender fixture and the real lock code it imports, bundled into one plain .mjs with the esbuild that tsx
 * itself transforms our sources with: fifty plain node processes start in a third of the CPU time that fifty tsx
 * loaders take, which keeps this test short on two busy cores.
 */
async function bundleContender(dir: string): Promise<string> {
  const esbuild = createRequire(tsxLoader)('esbuild') as typeof import('esbuild');
  const outfile = join(dir, 'lock-contender.bundle.mjs');
  await esbuild.build({ entryPoints: [fixture('lock-contender.mjs')], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning' });
  return outfile;
}

interface Contender { child: ChildProcessWithoutNullStreams; line(pattern: RegExp): Promise<string>; exited: Promise<unknown> }

function contender(script: string, lockPath: string): Contender {
  const child = spawn(process.execPath, [script, lockPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const exited = once(child, 'exit');
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    for (const w of [...waiters]) {
      const match = w.pattern.exec(text);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match[0]);
      }
    }
  });
  const line = (pattern: RegExp): Promise<string> => {
    const match = pattern.exec(text);
    if (match) return Promise.resolve(match[0]);
    return new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exited.then(() => setImmediate(() => reject(new Error(`contender ${child.pid} exited before ${pattern}: ${text}`))));
    });
  };
  return { child, line, exited };
}

test('50 supervisors starting at once against one stale lock: exactly one takes it', { timeout: 90_000 }, async () => {
  const script = await bundleContender(await tempDir());
  const dir = await tempDir();
  const lockPath = join(dir, 'supervisor.lock');
  await writeFile(lockPath, await deadHolder());
  const contenders = Array.from({ length: 50 }, () => contender(script, lockPath));
  after(() => {
    for (const c of contenders) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  });
  // Every process has loaded the lock code before the starting gun, so they all race within the same moment.
  await Promise.all(contenders.map((c) => c.line(/READY pid=\d+/)));
  for (const c of contenders) c.child.stdin.write('go\n');
  const results = await Promise.all(contenders.map((c) => c.line(/ACQUIRED|REFUSED .*/)));
  for (const c of contenders) c.child.stdin.end();
  await Promise.all(contenders.map((c) => c.exited));
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
