import { createHash, randomUUID } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';

/** Owner read/write only, whatever the umask: the lock says who runs where, nothing for other users to edit. */
const LOCK_FILE_MODE = 0o600;

/** One file as read at one moment: its inode and its text, so a later look can tell whether it is still that file. */
export interface FileSnapshot {
  readonly ino: bigint;
  readonly text: string;
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * Creates `path` holding `text`, or returns false when it exists. The text is written to a temp file in the same dir
 * first and link()ed into place, which fails with EEXIST atomically: no reader ever sees the file empty or
 * half-written, as it could with writeFile 'wx' (which creates the file, then writes it).
 */
export async function createWithText(path: string, text: string): Promise<boolean> {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'wx', LOCK_FILE_MODE);
  try {
    await handle.chmod(LOCK_FILE_MODE); // open's mode is filtered through the umask
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The file at `path` now, or undefined when there is none. Inode and text come through one open, so they match. */
export async function readSnapshot(path: string): Promise<FileSnapshot | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { ino } = await handle.stat({ bigint: true });
    return { ino, text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}

export async function isStill(path: string, snapshot: FileSnapshot): Promise<boolean> {
  const now = await readSnapshot(path);
  return now !== undefined && now.ino === snapshot.ino && now.text === snapshot.text;
}

/** A short name for one snapshot; inode numbers are reused, so the text (which holds a nonce) goes in too. */
export function snapshotDigest(snapshot: FileSnapshot): string {
  return createHash('sha256').update(`${snapshot.ino}\n${snapshot.text}`).digest('hex').slice(0, 16);
}

/** Removes `path`; one already gone is fine. */
export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}
