// Where a Pylantir config's worklist lives, resolved the way Pylantir 0.3.6 resolves it (cli/run.py:
// `os.path.expanduser(config.get("db_path", "~/Desktop/worklist.db"))`, then opened relative to its working
// directory). The runner, check-config and the second-writer check all resolve it here, so they agree.
import { resolve } from 'node:path';

/** Pylantir's own default when db_path is absent. */
export const PYLANTIR_DEFAULT_DB = '~/Desktop/worklist.db';

/** `~` is the home dir; anything else relative resolves against `base`. */
export function expandPath(path: string, base: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return resolve(home, path.slice(2));
  return resolve(base, path);
}

/**
 * The absolute worklist path of a parsed Pylantir config: `db_path` (a non-empty string), or Pylantir's default,
 * against the working directory of the process that opens it and that process's home.
 */
export function resolveDbPath(dbPath: unknown, cwd: string, home: string): string {
  return expandPath(typeof dbPath === 'string' && dbPath !== '' ? dbPath : PYLANTIR_DEFAULT_DB, cwd, home);
}
