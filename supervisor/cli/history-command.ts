// The exact `history …` command for this supervisor's data, printed in log hints so it works as printed.
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';

/** The two config fields that say where the history is. */
export interface HistoryTarget {
  /** The config file's path, or `built-in default`. */
  readonly origin: string;
  readonly dataDir: string;
}

const BUILT_IN_ORIGIN = 'built-in default';
const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** Quotes a word for sh only when it needs it, so the usual command stays readable. */
export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `history <args>` against the history this config writes, with absolute paths only: this node binary, our
 * dist bin and `--config FILE` (or `--data-dir DIR` for the built-in default, whose dataDir depends on the cwd).
 * Not `npx sync-supervisor`: npx finds the bin only below the package folder and elsewhere asks the registry for a
 * package of that name; not `npm run history`: it reads ./data of whatever folder it is typed in.
 */
export function historyCommand(target: HistoryTarget, args: readonly string[]): string {
  const bin = join(packageRoot(), 'dist', 'supervisor', 'main.js');
  const where = target.origin === BUILT_IN_ORIGIN ? ['--data-dir', target.dataDir] : ['--config', absolute(target.origin)];
  return [process.execPath, bin, 'history', ...args, ...where].map(shellWord).join(' ');
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
