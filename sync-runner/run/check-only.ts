import { AppError } from '../../shared/errors/app-error.ts';
import { catalogueEntry } from '../../shared/errors/catalogue.ts';
import { loadPylantirConfig } from '../config/pylantir-config.ts';
import type { PylantirSyncConfig } from '../config/source-spec.ts';
import type { RedcapCredentials } from '../credentials.ts';
import { lifecycleNotes } from './lifecycle-notes.ts';

export interface CheckOutcome {
  /** One line each, naming the file or variable at fault; empty when a sync would start. */
  readonly problems: readonly string[];
  /** Lines worth reading that stop nothing (each source's lifecycle settings), each starting with NOTE_PREFIX. */
  readonly notes: readonly string[];
  readonly exitCode: number;
}

// `--check`: what a sync would refuse at start-up, found without touching the worklist or REDCap. The supervisor's
// check-config runs this rather than importing the runner's modules, so the two programs stay apart.
export async function checkOnly(pylantirConfig: string, cwd: string, credentials: () => RedcapCredentials): Promise<CheckOutcome> {
  try {
    const config = await loadPylantirConfig(pylantirConfig, { cwd });
    const nothing = nothingToSync(config);
    if (nothing !== undefined) return { problems: [`sync.pylantirConfig: ${nothing}`], notes: [], exitCode: catalogueEntry('PYLANTIR_CONFIG_INVALID').exitCode };
    if (config.sources.some((source) => source.enabled && source.type === 'redcap')) credentials();
    return { problems: [], notes: lifecycleNotes(config.sources), exitCode: 0 };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const what = error.code === 'CREDENTIALS_INVALID' ? 'REDCap credentials (a "redcap" source is enabled)' : 'sync.pylantirConfig';
    // The catalogue's next step goes on the same line: check-config's own closing hint is about its config file,
    // while REDCAP_API_URL and REDCAP_API_TOKEN live in the environment (never the message's place for the token).
    return { problems: [`${what}: [${error.code}] ${error.message.replace(/\.$/, '')}. ${error.hint}`], notes: [], exitCode: error.exitCode };
  }
}

/** The db_path of Pylantir's shipped template (config/mwl_config.json), a placeholder no site serves. */
const TEMPLATE_DB_PATH = '/path/to/worklist.db';

/** Why a run of this config would sync nothing, or undefined when a source is enabled. A run would exit 0 and say nothing, so check-config fails. */
export function nothingToSync(config: PylantirSyncConfig): string | undefined {
  if (config.sources.some((source) => source.enabled)) return undefined;
  const why = config.dbPath === TEMPLATE_DB_PATH && config.sources.length === 0
    ? 'it is Pylantir\'s shipped template (config/mwl_config.json: db_path "/path/to/worklist.db", "data_sources": [], and its redcap2wl is ignored because data_sources is present)'
    : config.sources.length === 0 ? '"data_sources" is empty' : `all ${config.sources.length} of its data source(s) have "enabled": false`;
  return `${config.configPath} has no enabled data source (${why}), so every run would sync nothing. Enable a source ("enabled": true) or add one; `
    + 'to turn Pylantir\'s own sync off, start Pylantir with the config `pylantir-server-config` writes, not by disabling the sources here (README "Turn Pylantir\'s own sync off")';
}
