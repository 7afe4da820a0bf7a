import { stat } from 'node:fs/promises';

/** Which file a path names: the same (dev, ino) pair means the same file, whatever was written to it. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

export type FileChange = 'same' | 'deleted' | 'replaced';

/** The identity of the file at `path` now, or undefined when nothing is there. Other stat errors are thrown. */
export async function readFileIdentity(path: string): Promise<FileIdentity | undefined> {
  try {
    const { dev, ino } = await stat(path);
    return { dev, ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * PURE: has the file we opened (undefined: not found at its path right after opening) left its path? An open SQLite connection keeps writing into an unlinked file, so
 * once this says anything but 'same', every row written from then on is invisible to anyone reading the path.
 */
export function judgeFileChange(opened: FileIdentity | undefined, now: FileIdentity | undefined): FileChange {
  if (now === undefined) return 'deleted';
  if (opened === undefined) return 'replaced'; // the file was already gone when we looked at what we had opened
  return now.dev === opened.dev && now.ino === opened.ino ? 'same' : 'replaced';
}
