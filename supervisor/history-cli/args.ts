// argv → one command and its checked options; every mistake is a USAGE error that names the option.
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors/app-error.ts';
import { didYouMean } from '../config/did-you-mean.ts';
import { optionErrorMessage } from './option-error.ts';

export const COMMANDS = ['runs', 'run', 'trend', 'alerts', 'worklist', 'export', 'plot'] as const;
export type CommandName = (typeof COMMANDS)[number];

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

const common: OptionSpec = {
  config: { type: 'string' }, db: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
};
const thresholds: OptionSpec = { 'warn-mb': { type: 'string' }, 'emergency-mb': { type: 'string' } };

const perCommand: Record<CommandName, OptionSpec> = {
  runs: { since: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
  run: thresholds,
  trend: { source: { type: 'string' }, window: { type: 'string' }, 'emergency-mb': { type: 'string' } },
  alerts: { since: { type: 'string' }, run: { type: 'string' }, limit: { type: 'string' } },
  worklist: { since: { type: 'string' }, run: { type: 'string' }, limit: { type: 'string' } },
  export: { table: { type: 'string' }, run: { type: 'string' }, since: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  plot: { run: { type: 'string' }, since: { type: 'string' }, out: { type: 'string' }, ...thresholds },
};

export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface ParsedCommand {
  readonly command: CommandName;
  readonly values: OptionValues;
  readonly positionals: readonly string[];
}

function usage(message: string, command?: CommandName): AppError {
  const help = command === undefined ? 'history --help' : `history ${command} --help`;
  return new AppError('USAGE', message, { hint: `Run \`sync-supervisor ${help}\` for the commands and their options.` });
}

export function isCommand(word: string | undefined): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word ?? '');
}

/** `history --db x runs` works too: options before the command are moved after it. */
function commandFirst(argv: readonly string[]): readonly string[] {
  if (!argv[0]?.startsWith('-')) return argv;
  const at = argv.findIndex(isCommand);
  return at < 0 ? argv : [argv[at] ?? '', ...argv.slice(0, at), ...argv.slice(at + 1)];
}

export function parseCommand(argv: readonly string[]): ParsedCommand {
  const [command, ...rest] = commandFirst(argv);
  if (!isCommand(command)) throw usage(command === undefined ? 'no command given' : unknownCommand(command));
  const options = { ...common, ...perCommand[command] };
  try {
    const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    const maxPositionals = command === 'run' ? 1 : 0;
    if (positionals.length > maxPositionals) throw usage(`unexpected argument "${positionals[maxPositionals]}" for \`${command}\``);
    return { command, values, positionals };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw usage(`${command}: ${optionErrorMessage(error, Object.keys(options))}`, command);
  }
}

function unknownCommand(word: string): string {
  const guess = didYouMean(word, COMMANDS);
  return `unknown command "${word}"; ${guess === undefined ? `expected one of ${COMMANDS.join(', ')}` : `did you mean ${guess}?`}`;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function positiveIntOption(values: OptionValues, name: string, fallback: number): number;
export function positiveIntOption(values: OptionValues, name: string, fallback?: number): number | undefined;
export function positiveIntOption(values: OptionValues, name: string, fallback?: number): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw usage(`--${name} expects a positive whole number; got "${raw}"`);
  return Number(raw);
}

export function numberOption(values: OptionValues, name: string, fallback: number): number {
  const raw = stringOption(values, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw usage(`--${name} expects a positive number of MB; got "${raw}"`);
  return value;
}

export function choiceOption<T extends string>(values: OptionValues, name: string, choices: readonly T[]): T | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) throw usage(`--${name} expects one of ${choices.join(', ')}; got "${raw}"`);
  return raw as T;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The largest time a JavaScript Date holds (±100,000,000 days from 1970); past it every formatter throws. */
const MAX_TIME_MS = 8.64e15;

const SINCE_FORMS = 'an age like 30m, 24h, 7d, 2w or a date like 2026-01-31 (local midnight) or an ISO date-time like 2026-01-31T14:00:00Z';

/**
 * `--since`: a relative age (`30m`, `24h`, `7d`, `2w`), a local date (`2026-01-31`) or an ISO date-time. Anything
 * else, a date that is not on the calendar (2026-02-31) or an age reaching past what a Date can hold, is a usage error
 * naming the option and the accepted forms: never a RangeError from a formatter later on.
 */
export function sinceOption(values: OptionValues, nowMs: number): number | undefined {
  const raw = stringOption(values, 'since');
  if (raw === undefined) return undefined;
  const refuse = (why = ''): AppError => usage(`--since expects ${SINCE_FORMS}; got "${raw}"${why}`);
  const inRange = (ms: number): number => {
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) throw refuse(', which is out of range');
    return ms;
  };
  const relative = /^(\d+)([mhdw])$/.exec(raw);
  if (relative) return inRange(nowMs - Number(relative[1]) * (UNIT_MS[relative[2] ?? 'h'] ?? 0));
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const local = new Date(year, month - 1, day);
    if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== day) throw refuse(', which is not a date on the calendar');
    return inRange(local.getTime());
  }
  const parsed = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(parsed)) throw refuse();
  return inRange(parsed);
}
