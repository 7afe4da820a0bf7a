// Opens `--out FILE` as a stream; every failure (missing folder, no permission, full disk) is HISTORY_OUTPUT_FAILED.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors/app-error.ts';

export function outputFailed(path: string, error: unknown): AppError {
  return new AppError('HISTORY_OUTPUT_FAILED', `cannot write ${path}: ${(error as Error).message}`, { cause: error, details: { path } });
}

export function resolveOut(cwd: string, out: string): string {
  return resolve(cwd, out);
}

/** A write stream that is already open, so a bad path fails before any query runs. */
export async function openOutputFile(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  // Keeps a late error (full disk) from crashing the process; `write` and `closeOutputFile` read `stream.errored`.
  stream.on('error', () => undefined);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw outputFailed(path, error);
  }
  return stream;
}

export async function closeOutputFile(path: string, stream: WriteStream): Promise<void> {
  try {
    if (stream.errored) throw stream.errored;
    stream.end();
    await once(stream, 'finish');
  } catch (error) {
    throw outputFailed(path, error);
  }
}
