import { parseArgs as parseArgv } from 'node:util';
import { AppError } from '../../shared/errors/app-error.ts';
import { LIFECYCLE_REFUSAL_CODES, runnerCodes } from '../../shared/errors/runner-codes.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../shared/log-levels.ts';

export interface RunnerArgs {
  readonly help: boolean;
  /** Check the Pylantir config and the credentials it needs, print the problems, and exit without syncing. */
  readonly check: boolean;
  readonly pylantirConfig?: string;
  readonly dataDir?: string;
  /** A .env file to load; without it, ./.env is loaded when present. */
  readonly envFile?: string;
  readonly logLevel?: LogLevel;
}

const usage = (message: string, cause?: unknown): AppError => new AppError('RUNNER_USAGE', message, { cause });

const OPTIONS = {
  'pylantir-config': { type: 'string' },
  'data-dir': { type: 'string' },
  'env-file': { type: 'string' },
  'log-level': { type: 'string' },
  check: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

// Pure: argv (without node and the script) → options. `--name value` and `--name=value` both work.
export function parseArgs(argv: readonly string[]): RunnerArgs {
  let values;
  try {
    ({ values } = parseArgv({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw usageFrom(error);
  }
  for (const name of ['pylantir-config', 'data-dir', 'env-file', 'log-level'] as const) {
    if (values[name] === '') throw usage(`--${name} needs a value`);
  }
  const level = values['log-level'];
  if (level !== undefined && !isLogLevel(level)) throw usage(`--log-level must be one of ${LOG_LEVELS.join(', ')}; received "${level}"`);
  return {
    help: values.help === true,
    check: values.check === true,
    ...(values['pylantir-config'] === undefined ? {} : { pylantirConfig: values['pylantir-config'] }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(values['env-file'] === undefined ? {} : { envFile: values['env-file'] }),
    ...(level === undefined ? {} : { logLevel: level as LogLevel }),
  };
}

/**
 * node:util's errors, in the runner's words. Node's message quotes the argument at fault ("Unknown option '--nope'",
 * "Option '--data-dir <value>' argument missing"), so the name is taken from there; the code says what is wrong.
 */
function usageFrom(error: unknown): AppError {
  const { code, message } = error as NodeJS.ErrnoException;
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return usage(`unknown argument "${quoted}"`, error);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return usage(message.includes('does not take an argument') ? `${option} takes no value` : `${option} needs a value`, error);
    default:
      return usage(message, error);
  }
}

export function helpText(): string {
  const line = (c: (typeof runnerCodes)[keyof typeof runnerCodes]) => `  ${String(c.exitCode).padStart(2)}  ${c.code.padEnd(24)} ${c.hint}`;
  const codes = Object.values(runnerCodes).filter((c) => !LIFECYCLE_REFUSAL_CODES.has(c.code)).map(line);
  const refusals = Object.values(runnerCodes).filter((c) => LIFECYCLE_REFUSAL_CODES.has(c.code)).map(line);
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
  --check                 check the Pylantir config and, when a redcap source is enabled, the REDCap
                          settings; print each problem on stdout and exit with its code, syncing nothing;
                          a valid config prints one "note:" line per source with its lifecycle settings
  -h, --help              this text

A relative db_path in the Pylantir config resolves against the working directory, as in Pylantir;
a relative redcap-export config.path resolves against the config file's folder.
Under a supervisor (IPC channel present) it sends progress and one result message, and exits when the
channel closes. SIGTERM: the current batch finishes, no other starts, exit ${runnerCodes.RUNNER_INTERRUPTED.exitCode}.

Exit codes:
   0  all enabled sources synced (or skipped outside their operation window)
${codes.join('\n')}

Lifecycle refusals (config.lifecycle): named in the source's result and log; the run still exits 0:
${refusals.join('\n')}
`;
}
