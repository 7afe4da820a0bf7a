import { AppError } from '../../shared/errors/app-error.ts';
import { runnerCodes } from '../../shared/errors/runner-codes.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../shared/log-levels.ts';

export interface RunnerArgs {
  readonly help: boolean;
  readonly pylantirConfig?: string;
  readonly dataDir?: string;
  /** A .env file to load; without it, ./.env is loaded when present. */
  readonly envFile?: string;
  readonly logLevel?: LogLevel;
}

const usage = (message: string): AppError => new AppError('RUNNER_USAGE', message);


// Pure: argv (without node and the script) → options. `--name value` and `--name=value` both work.
export function parseArgs(argv: readonly string[]): RunnerArgs {
  const out: { -readonly [K in keyof RunnerArgs]: RunnerArgs[K] } = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const takeValue = (): string => {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) throw usage(`${name} needs a value`);
      return value;
    };
    switch (name) {
      case '--pylantir-config':
        out.pylantirConfig = takeValue();
        break;
      case '--data-dir':
        out.dataDir = takeValue();
        break;
      case '--env-file':
        out.envFile = takeValue();
        break;
      case '--log-level': {
        const level = takeValue();
        if (!isLogLevel(level)) throw usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}; received "${level}"`);
        out.logLevel = level as RunnerArgs['logLevel'];
        break;
      }
      default:
        throw usage(`unknown argument "${name}"`);
    }
  }
  return out;
}

export function helpText(): string {
  const codes = Object.values(runnerCodes).map((c) => `  ${String(c.exitCode).padStart(2)}  ${c.code.padEnd(24)} ${c.hint}`);
  return `sync-runner: one Pylantir-compatible REDCap → worklist sync of every enabled source, then exit.

Usage: node dist/sync-runner/main.js [options]

Options:
  --pylantir-config PATH  Pylantir's JSON config (env SYNC_PYLANTIR_CONFIG)
  --data-dir DIR          our state (watermarks) lives here (env SYNC_SUPERVISOR_DATA_DIR; default ./data)
  --env-file PATH         load REDCAP_API_URL / REDCAP_API_TOKEN from this file (default ./.env when present);
                          variables already in the environment win; REDCAP_API_URL must be https:// unless
                          its host is loopback or REDCAP_ALLOW_HTTP=1 (warned about on every run); redirects
                          from REDCap are never followed
  --log-level LEVEL       error | warn | info | debug (default info); logs go to stderr
  -h, --help              this text

A relative db_path in the Pylantir config resolves against the working directory, as in Pylantir;
a relative redcap-export config.path resolves against the config file's folder.
Under a supervisor (IPC channel present) it sends progress and one result message, and exits when the
channel closes. SIGTERM: the current batch finishes, no other starts, exit ${runnerCodes.RUNNER_INTERRUPTED.exitCode}.

Exit codes:
   0  all enabled sources synced (or skipped outside their operation window)
${codes.join('\n')}
`;
}
