import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors/app-error.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../shared/log-levels.ts';
import { didYouMean } from '../config/did-you-mean.ts';
import { optionErrorMessage } from '../history-cli/option-error.ts';

export type Command = 'supervise' | 'run-once' | 'check-config' | 'pylantir-server-config' | 'history' | 'help' | 'version';
/** The commands that have a help text of their own. */
export type HelpTopic = 'supervise' | 'run-once' | 'check-config' | 'pylantir-server-config';

export interface CliArgs {
  readonly command: Command;
  readonly configPath: string | undefined;
  readonly once: boolean;
  readonly logLevel: LogLevel | undefined;
  readonly jsonLogs: boolean;
  readonly printSchema: boolean;
  /** pylantir-server-config: the Pylantir config to read, and where to write the server's (stdout when absent). */
  readonly from: string | undefined;
  readonly out: string | undefined;
  /** With `help`: whose help (`run-once --help` prints run-once's). */
  readonly helpTopic: HelpTopic;
  /** Everything after `history`, passed on untouched. */
  readonly rest: readonly string[];
}

const COMMANDS: readonly string[] = ['supervise', 'run-once', 'check-config', 'pylantir-server-config'];

const OPTIONS = {
  config: { type: 'string' },
  once: { type: 'boolean', default: false },
  'log-level': { type: 'string' },
  'json-logs': { type: 'boolean', default: false },
  'print-schema': { type: 'boolean', default: false },
  from: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

// argv → a typed command; a usage error names the bad word.
export function parseCliArgs(argv: readonly string[]): CliArgs {
  if (argv[0] === 'history') {
    return { command: 'history', configPath: undefined, once: false, logLevel: undefined, jsonLogs: false, printSchema: false, from: undefined, out: undefined, helpTopic: 'supervise', rest: argv.slice(1) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new AppError('USAGE', optionErrorMessage(error, Object.keys(OPTIONS)), { cause: error });
  }
  const { values, positionals } = parsed;
  const word = positionals[0] ?? 'supervise';
  if (positionals.length > 1 || !COMMANDS.includes(word)) {
    const guess = positionals.length === 1 ? didYouMean(word, [...COMMANDS, 'history']) : undefined;
    throw new AppError('USAGE', `unknown command "${positionals.join(' ')}"${guess === undefined ? '' : `; did you mean ${guess}?`}`);
  }
  if ((values.from !== undefined || values.out !== undefined) && word !== 'pylantir-server-config') {
    throw new AppError('USAGE', `--from and --out belong to pylantir-server-config, not ${word}`);
  }
  const level = values['log-level'];
  if (level !== undefined && !isLogLevel(level)) throw new AppError('USAGE', `--log-level: expected one of ${LOG_LEVELS.join(', ')}, received "${level}"`);
  const command: Command = values.help ? 'help' : values.version ? 'version' : (word as Command);
  return {
    command,
    configPath: values.config,
    once: values.once === true || command === 'run-once',
    logLevel: level as LogLevel | undefined,
    jsonLogs: values['json-logs'] === true,
    printSchema: values['print-schema'] === true,
    from: values.from,
    out: values.out,
    helpTopic: word as HelpTopic,
    rest: [],
  };
}
