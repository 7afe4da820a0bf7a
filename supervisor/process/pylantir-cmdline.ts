// PURE: is this command line a Pylantir server, and which config does it read? The shapes, from Pylantir 0.3.6's
// packaging (console script `pylantir = pylantir.cli.run:main`, argparse in cli/run.py):
//   /usr/bin/python3 /usr/local/bin/pylantir start --pylantir_config FILE    (the console script, via its shebang)
//   /opt/venv/bin/python -u /opt/venv/bin/pylantir --pylantir_config=FILE start
//   python3 -m pylantir.cli.run start --pylantir_config FILE
//   pylantir start …                                                          (a frozen or wrapped entry point)
// argparse also takes any unambiguous prefix of a long option (`--pyl FILE`), and every Pylantir option takes a
// value, so the first word that is neither an option nor an option's value is the command.
import { basename } from 'node:path';

const CONFIG_OPTION = '--pylantir_config';
/** The shortest prefix argparse accepts: `--p` is ambiguous with --port and --password. */
const SHORTEST_PREFIX = '--py'.length;
const MODULES = new Set(['pylantir', 'pylantir.cli.run']);

export interface PylantirCommandLine {
  /** `start`, `start-api`, `query-db`, …; undefined when none was given. */
  readonly command: string | undefined;
  /** The --pylantir_config value as written (relative to the process's cwd); undefined: Pylantir's default. */
  readonly configArg: string | undefined;
}

/** The index of Pylantir's own first argument, or undefined when `argv` is not Pylantir. */
function pylantirArgsStart(argv: readonly string[]): number | undefined {
  const program = basename(argv[0] ?? '');
  if (program === 'pylantir') return 1;
  if (!/^python[0-9.]*$/.test(program)) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '-m') return MODULES.has(argv[i + 1] ?? '') ? i + 2 : undefined;
    if (word.startsWith('-m')) return MODULES.has(word.slice(2)) ? i + 1 : undefined;
    // Interpreter options that take a value as the next word.
    if (word === '-W' || word === '-X' || word === '-Q') {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return basename(word) === 'pylantir' ? i + 1 : undefined;
  }
  return undefined;
}

function isConfigOption(name: string): boolean {
  return name.length >= SHORTEST_PREFIX && CONFIG_OPTION.startsWith(name);
}

export function parsePylantirCmdline(argv: readonly string[]): PylantirCommandLine | undefined {
  const start = pylantirArgsStart(argv);
  if (start === undefined) return undefined;
  let command: string | undefined;
  let configArg: string | undefined;
  for (let i = start; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word.startsWith('--')) {
      const equals = word.indexOf('=');
      const name = equals === -1 ? word : word.slice(0, equals);
      const value = equals === -1 ? argv[++i] : word.slice(equals + 1);
      // argparse keeps the last one given.
      if (isConfigOption(name) && value !== undefined) configArg = value;
      continue;
    }
    if (word === '-h') continue;
    command ??= word;
  }
  return { command, configArg };
}
