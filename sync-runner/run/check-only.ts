import { AppError } from '../../shared/errors/app-error.ts';
import { loadPylantirConfig } from '../config/pylantir-config.ts';
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
    if (config.sources.some((source) => source.enabled && source.type === 'redcap')) credentials();
    return { problems: [], notes: lifecycleNotes(config.sources), exitCode: 0 };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const what = error.code === 'CREDENTIALS_INVALID' ? 'REDCap credentials (a "redcap" source is enabled)' : 'sync.pylantirConfig';
    return { problems: [`${what}: [${error.code}] ${error.message}`], notes: [], exitCode: error.exitCode };
  }
}
