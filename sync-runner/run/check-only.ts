import { AppError } from '../../shared/errors/app-error.ts';
import { loadPylantirConfig } from '../config/pylantir-config.ts';
import type { RedcapCredentials } from '../credentials.ts';

export interface CheckOutcome {
  /** One line each, naming the file or variable at fault; empty when a sync would start. */
  readonly problems: readonly string[];
  readonly exitCode: number;
}

// `--check`: what a sync would refuse at start-up, found without touching the worklist or REDCap. The supervisor's
// check-config runs this rather than importing the runner's modules, so the two programs stay apart.
export async function checkOnly(pylantirConfig: string, cwd: string, credentials: () => RedcapCredentials): Promise<CheckOutcome> {
  try {
    const config = await loadPylantirConfig(pylantirConfig, { cwd });
    if (config.sources.some((source) => source.enabled && source.type === 'redcap')) credentials();
    return { problems: [], exitCode: 0 };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const what = error.code === 'CREDENTIALS_INVALID' ? 'REDCap credentials (a "redcap" source is enabled)' : 'sync.pylantirConfig';
    // The catalogue's next step goes on the same line: check-config's own closing hint is about its config file,
    // while REDCAP_API_URL and REDCAP_API_TOKEN live in the environment (never the message's place for the token).
    return { problems: [`${what}: [${error.code}] ${error.message.replace(/\.$/, '')}. ${error.hint}`], exitCode: error.exitCode };
  }
}
