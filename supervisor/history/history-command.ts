// The exact `history …` command for this supervisor's data, printed in log lines and alerts so it works as printed.
// It sits in history/, below run/ and alerts/, so both take the one formatter; alerts get it injected as a HistoryHint.
import { isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../../shared/package-root.ts';

/** The two config fields that say where the history is. */
export interface HistoryTarget {
  /** The config file's path, or `built-in default`. */
  readonly origin: string;
  readonly dataDir: string;
}

/** Where the command runs from: this node binary and this package, unless a doc example names others. */
export interface CommandPlace {
  readonly node: string;
  readonly packageRoot: string;
}

/** `history <args>` as a complete command line for one history; what alerts are given instead of the config. */
export type HistoryHint = (args: readonly string[]) => string;

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
 * package of that name; not `npm run history`: it reads ./data of whatever folder it is typed in; not a bare `node`:
 * cron's PATH is /usr/bin:/bin.
 */
export function historyCommand(target: HistoryTarget, args: readonly string[], place: CommandPlace = here()): string {
  const bin = join(place.packageRoot, 'dist', 'supervisor', 'main.js');
  const where = target.origin === BUILT_IN_ORIGIN ? ['--data-dir', target.dataDir] : ['--config', absolute(target.origin)];
  return [place.node, bin, 'history', ...args, ...where].map(shellWord).join(' ');
}

/** The formatter for one config, to hand to whatever words a hint without knowing the config. */
export function historyHint(target: HistoryTarget, place: CommandPlace = here()): HistoryHint {
  return (args) => historyCommand(target, args, place);
}

function here(): CommandPlace {
  return { node: process.execPath, packageRoot: packageRoot() };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
