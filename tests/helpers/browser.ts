// The browser for the browser tests comes from npm (@sparticuz/chromium ships the binary inside its package), so
// `npm ci` is all the set-up they need. A chromium named by CHROMIUM_PATH is used instead when a developer wants one.
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, watch, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

/** Flags that keep chromium off this machine's closed network and out of the first-run dialogs. */
const QUIET_FLAGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const LOCK = join(tmpdir(), 'sync-supervisor-chromium.lock');
/** Written once the package's binary is fully inflated into the temp dir; without it a leftover is half-written. */
const INFLATED = join(tmpdir(), 'sync-supervisor-chromium.inflated');
const STALE_LOCK_MS = 120_000;

/**
 * The package inflates its binary into the temp dir on first use and trusts any file found there. Test files may
 * run in parallel, and an inflation may have been killed half-way, so one process at a time inflates, and a binary
 * without our marker is thrown away and inflated again.
 */
async function packagedChromium(): Promise<string> {
  await takeLock();
  try {
    const binary = join(tmpdir(), 'chromium');
    if (!(existsSync(binary) && existsSync(INFLATED))) {
      await rm(INFLATED, { force: true });
      await rm(binary, { force: true });
    }
    const path = await sparticuz.executablePath();
    await writeFile(INFLATED, path);
    return path;
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

async function takeLock(): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(LOCK).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      else await lockReleased(STALE_LOCK_MS - age);
    }
  }
}

/** Resolves when the holder removes the lock (a watch on the temp dir), or after `deadlineMs` for a holder that died. */
async function lockReleased(deadlineMs: number): Promise<void> {
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(), deadlineMs);
  try {
    const events = watch(tmpdir(), { signal: stop.signal });
    // Checked after the watch starts, so a removal between the failed mkdir and here is not missed.
    if (!existsSync(LOCK)) return;
    for await (const event of events) if (event.filename === basename(LOCK) && !existsSync(LOCK)) return;
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(deadline);
    stop.abort();
  }
}

/** Headless chromium for a test file; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  const own = process.env.CHROMIUM_PATH;
  if (own) return chromium.launch({ executablePath: own, args: ['--no-sandbox', '--headless', '--disable-gpu', ...QUIET_FLAGS] });
  // The package's flags are made for serverless sandboxes; --single-process there closes the whole browser with its
  // last page, and a test file opens several pages one after another.
  const args = sparticuz.args.filter((flag) => flag !== '--single-process');
  return chromium.launch({ executablePath: await packagedChromium(), args: [...args, ...QUIET_FLAGS] });
}
