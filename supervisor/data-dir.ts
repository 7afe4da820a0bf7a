import { access, constants, mkdir } from 'node:fs/promises';
import { AppError } from '../shared/errors/app-error.ts';

// Creates the data dir if needed and proves it writable before anything is started.
export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('DATA_DIR_UNUSABLE', `data dir ${dir} is not usable (${code})`, { cause: error });
  }
}
