// Writes `--out FILE` safely: never onto the database being read (or any SQLite file), never through a symlink,
// owner-only (run results are in it), and all or nothing (a temp file beside it, renamed into place at the end).
// Every failure is HISTORY_OUTPUT_FAILED (exit 24).
import { once } from 'node:events';
import { closeSync, constants, createWriteStream, lstatSync, openSync, readSync, renameSync, unlinkSync, type Stats, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors/app-error.ts';

/** The companions SQLite keeps beside a database; writing over any of them corrupts it. */
const SQLITE_COMPANIONS = ['', '-wal', '-journal', '-shm'];
const SQLITE_MAGIC = 'SQLite format 3\0';

export function outputFailed(path: string, error: unknown): AppError {
  return new AppError('HISTORY_OUTPUT_FAILED', `cannot write ${path}: ${(error as Error).message}`, { cause: error, details: { path } });
}

function refused(path: string, why: string, hint: string): AppError {
  return new AppError('HISTORY_OUTPUT_FAILED', `refusing --out ${path}: ${why}`, { details: { path }, hint });
}

export function resolveOut(cwd: string, out: string): string {
  return resolve(cwd, out);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function startsWithSqliteMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Throws when `out` may not be written: a symlink (it could point anywhere, the database included), the database
 * being read or one of its -wal/-journal/-shm files (same path or same device and inode), or any SQLite database
 * (the data dir's live history.db while a copy is read, a worklist.db).
 */
export function checkOutputTarget(out: string, dbPath: string): void {
  const target = lstatOrUndefined(out);
  if (target === undefined) return;
  if (target.isSymbolicLink()) throw refused(out, 'it is a symbolic link, which is never followed', 'Give the real path of the file to write (`readlink -f`), or a new file name.');
  for (const suffix of SQLITE_COMPANIONS) {
    const companion = lstatOrUndefined(`${dbPath}${suffix}`);
    if (companion && companion.dev === target.dev && companion.ino === target.ino) {
      throw refused(out, `it is the history database being read (${dbPath}${suffix})`, 'Write the export or plot to another file; --out never replaces the database it reads.');
    }
  }
  if (startsWithSqliteMagic(out)) throw refused(out, 'it is an SQLite database', 'Write the export or plot to another file; --out never replaces a database.');
}

/** An output being written to a temp file beside its path: `commit` renames it into place, `abort` removes it. */
export interface OutputFile {
  readonly path: string;
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): void;
}

/** Opens the temp file (O_EXCL | O_NOFOLLOW, 0600), so a bad path fails before any query runs. */
export async function openOutputFile(path: string, dbPath: string): Promise<OutputFile> {
  checkOutputTarget(path, dbPath);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    throw outputFailed(path, error);
  }
  const stream = createWriteStream(temp, { fd });
  // Keeps a late error (full disk) from crashing the process; `write` and `commit` read `stream.errored`.
  stream.on('error', () => undefined);
  const removeTemp = (): void => {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  };
  return {
    path,
    stream,
    async commit() {
      try {
        if (stream.errored) throw stream.errored;
        stream.end();
        await once(stream, 'finish');
        // Checked again just before the rename: a symlink or the database put there meanwhile is still refused.
        checkOutputTarget(path, dbPath);
        renameSync(temp, path);
      } catch (error) {
        stream.destroy();
        removeTemp();
        throw error instanceof AppError ? error : outputFailed(path, error);
      }
    },
    abort() {
      stream.destroy();
      removeTemp();
    },
  };
}

/** A whole output written at once through the same guarded temp file (`history plot`). */
export async function writeOutputFile(path: string, dbPath: string, content: string): Promise<void> {
  const file = await openOutputFile(path, dbPath);
  file.stream.write(content);
  await file.commit();
}
