import { access, constants, mkdir } from 'node:fs/promises';
import { AppError } from '../shared/errors/app-error.ts';

/** The data dir holds the history, the logs and the runner's state: owner only. An existing dir keeps its mode. */
const PRIVATE_DIR_MODE = 0o700;

// Creates the data dir if needed and proves it writable before anything is started.
export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('DATA_DIR_UNUSABLE', `data dir ${dir} is not usable (${code})`, { cause: error });
  }
}
