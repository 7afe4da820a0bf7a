// Real full and read-only filesystems for the fault tests: tmpfs mounts (the tests run as root; where the sandbox
// forbids mount, the caller skips with the reason) and a filler that takes a mount's free space.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * A fresh folder (or the existing empty folder `at`) with a tmpfs mounted on it (`options`), unmounted and removed when the test ends; or the reason
 * the mount failed (no mount binary, no privilege…), for the test to skip with.
 */
export async function mountedDir(t: TestContext, options: string, at?: string): Promise<{ dir: string } | { why: string }> {
  const dir = at ?? await mkdtemp(join(tmpdir(), 'sync-supervisor-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { why: `mount -t tmpfs -o ${options} failed: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}` };
  }
  t.after(async () => {
    execFileSync('umount', ['-l', dir]);
    await rm(dir, { recursive: true, force: true });
  });
  return { dir };
}

/**
 * Fills a tmpfs to within `leaveBytes` of full. A supervisor may be writing to it meanwhile (samples, WAL), so the free
 * space read up front is only a plan: a write refused with ENOSPC means it is full sooner, and then smaller writes
 * take what is left (or, with `leaveBytes`, the filler gives that much back).
 */
export async function fill(dir: string, leaveBytes: number): Promise<string> {
  const { bavail, bsize } = await statfs(dir);
  const filler = join(dir, 'filler');
  const zeros = Buffer.alloc(64 * 1024);
  const handle = await open(filler, 'w');
  let written = 0;
  try {
    let left = Math.max(0, bavail * bsize - leaveBytes);
    for (let chunk = zeros.length; chunk >= 1 && left > 0;) {
      try {
        const { bytesWritten } = await handle.write(zeros, 0, Math.min(chunk, left));
        written += bytesWritten;
        left -= bytesWritten;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        if (leaveBytes > 0) {
          await handle.truncate(Math.max(0, written - leaveBytes));
          break;
        }
        chunk = Math.floor(chunk / 2);
      }
    }
  } finally {
    await handle.close();
  }
  return filler;
}

