// The worklist file this supervisor's runner writes: `sync.pylantirConfig`'s db_path, resolved as the runner
// resolves it (against runner.cwd, `~` = the runner's home). Read by the supervisor itself, so it never loads the
// runner's modules; both resolve through shared/pylantir/db-path.ts.
import { homedir } from 'node:os';
import { resolveDbPath } from '../../shared/pylantir/db-path.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { readJsonObject } from './read-json.ts';

export type OurWorklist =
  | { readonly ok: true; readonly pylantirConfig: string; readonly config: Readonly<Record<string, unknown>>; readonly dbPath: string }
  | { readonly ok: false; readonly pylantirConfig: string; readonly why: string };

/** The runner's HOME: runner.env wins, then the supervisor's own, as the runner's environment is built. */
export function runnerHome(config: SupervisorConfig, env: NodeJS.ProcessEnv): string {
  return config.runner.env.HOME || env.HOME || homedir();
}

export async function ourWorklist(config: SupervisorConfig, env: NodeJS.ProcessEnv): Promise<OurWorklist> {
  const pylantirConfig = config.sync.pylantirConfig;
  const read = await readJsonObject(pylantirConfig);
  if (!read.ok) return { ok: false, pylantirConfig, why: `${pylantirConfig} ${read.why}` };
  return { ok: true, pylantirConfig, config: read.value, dbPath: resolveDbPath(read.value.db_path, config.runner.cwd, runnerHome(config, env)) };
}
