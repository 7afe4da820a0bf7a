// PURE: what one running `pylantir start` does to a worklist, from its command line, working directory, home and
// config (read by the caller). Paths resolve as Pylantir resolves them: the config relative to its working
// directory, db_path through expanduser (its own home), then relative to that same directory.
import { isAbsolute, resolve } from 'node:path';
import { PYLANTIR_DEFAULT_DB, resolveDbPath } from '../../shared/pylantir/db-path.ts';
import type { PylantirProcess } from '../process/pylantir-processes.ts';
import type { JsonRead } from './read-json.ts';
import { pylantirSyncOf } from './sync-rule.ts';

export type PylantirTarget =
  /** It runs a sync thread into `dbPath`. */
  | { readonly kind: 'syncs'; readonly configPath: string; readonly dbPath: string; readonly why: string }
  /** It serves the worklist only. */
  | { readonly kind: 'serves-only'; readonly configPath: string | undefined; readonly why: string }
  /** This user cannot tell (another user's process, an unreadable config). */
  | { readonly kind: 'unknown'; readonly configPath: string | undefined; readonly why: string };

/** The config file a process reads: undefined when it gives none, or gives a relative one from an unreadable cwd. */
export function configPathOf(proc: PylantirProcess): string | undefined {
  if (proc.configArg === undefined) return undefined;
  if (isAbsolute(proc.configArg)) return proc.configArg;
  return proc.cwd === undefined ? undefined : resolve(proc.cwd, proc.configArg);
}

export function pylantirTarget(proc: PylantirProcess, configPath: string | undefined, read: JsonRead | undefined): PylantirTarget {
  if (proc.configArg === undefined) {
    // cli/run.py: load_config(None) reads the package's config/mwl_config.json, shipped with "data_sources": [].
    return { kind: 'serves-only', configPath, why: 'no --pylantir_config: Pylantir reads its packaged config/mwl_config.json, shipped with "data_sources": []' };
  }
  if (configPath === undefined || read === undefined) return { kind: 'unknown', configPath, why: `its config "${proc.configArg}" is relative and its working directory cannot be read by this user` };
  // Pylantir's load_config answers {} for a missing or invalid file, and {} takes the legacy branch: a sync thread.
  const config = read.ok ? read.value : read.missing || read.why.startsWith('is not valid JSON') ? {} : undefined;
  if (config === undefined) return { kind: 'unknown', configPath, why: `its config ${configPath} ${read.ok ? '' : read.why}` };
  const sync = pylantirSyncOf(config);
  if (!sync.syncs) return { kind: 'serves-only', configPath, why: sync.why };
  const dbPath = config.db_path ?? PYLANTIR_DEFAULT_DB;
  const needsCwd = typeof dbPath !== 'string' || !(isAbsolute(dbPath) || dbPath === '~' || dbPath.startsWith('~/'));
  const needsHome = typeof dbPath === 'string' && (dbPath === '~' || dbPath.startsWith('~/'));
  if ((needsCwd && proc.cwd === undefined) || (needsHome && proc.home === undefined)) {
    return { kind: 'unknown', configPath, why: `it syncs (${sync.why}), but its db_path "${String(dbPath)}" depends on its ${needsCwd ? 'working directory' : 'home'}, which this user cannot read` };
  }
  const why = read.ok ? sync.why : `its config ${configPath} ${read.why}: Pylantir then reads {} and takes its legacy branch, which always starts a REDCap sync thread`;
  return { kind: 'syncs', configPath, dbPath: resolveDbPath(dbPath, proc.cwd ?? '/', proc.home ?? '/'), why };
}
