// The text of `sync-supervisor --help` and of each command's `--help`; exit codes come from the error catalogue.
import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';
import type { HelpTopic } from './parse-args.ts';

/** What each code means in a sentence; the number and name come from the catalogue. */
const MEANING: Record<keyof typeof supervisorCodes, string> = {
  RUN_FAILED: 'the runner failed on every attempt (one-shot)',
  USAGE: 'a bad command or option',
  RUN_KILLED: 'the runner was killed (memory or timeout) on every attempt (one-shot)',
  LOCK_HELD: 'another supervisor holds the data dir\'s lock (one-shot: this slot is skipped)',
  CONFIG_INVALID: 'the config is invalid, or a variable it names is unset',
  DATA_DIR_UNUSABLE: 'the data dir cannot be created or written',
  HISTORY_CORRUPT: 'history.db is damaged',
  HISTORY_FOREIGN: 'history.db belongs to another application',
  HISTORY_TOO_NEW: 'history.db was written by a newer sync-supervisor',
  PYLANTIR_CONFIG_UNUSABLE: 'pylantir-server-config: the --from file cannot be read or is not a JSON object',
  OUTPUT_FAILED: 'pylantir-server-config: the --out file cannot be written',
  INTERNAL: 'a bug; the log in dataDir/logs has the stack trace',
};

function exitCodes(only?: readonly (keyof typeof supervisorCodes)[]): string {
  const rows = Object.entries(supervisorCodes)
    .filter(([code]) => only === undefined || (only as readonly string[]).includes(code))
    .map(([code, entry]) => `  ${String(entry.exitCode).padStart(3)}  ${code.padEnd(17)}  ${MEANING[code as keyof typeof supervisorCodes]}`);
  return `Exit codes:\n    0  OK                 done (a clean stop on SIGTERM, SIGINT, SIGHUP or SIGUSR2 is OK too)\n${rows.join('\n')}\n`;
}

const COMMON_OPTIONS = `  --config FILE      JSON config (default: built-in, which syncs the bundled demo export into ./data)
  --log-level LEVEL  error | warn | info | debug (overrides log.level)
  --json-logs        JSON lines on the console instead of readable lines
  -h, --help         this text`;

function overview(version: string): string {
  return `sync-supervisor ${version}: runs a fresh sync-runner per tick, watches its whole-tree memory, kills it before it hurts.

Usage (from the package folder: npx sync-supervisor …; anywhere: node /path/to/dist/supervisor/main.js …):
  sync-supervisor [--config FILE] [--once]      supervise on the schedule until SIGTERM/Ctrl-C (one tick with --once)
  sync-supervisor run-once [--config FILE]      one supervised tick for system cron, then exit (see: run-once --help)
  sync-supervisor check-config [--config FILE]  validate a config and what it names (see: check-config --help)
  sync-supervisor history <command> [...]       read the memory history (see: history --help)
  sync-supervisor pylantir-server-config --from PYLANTIR_CONFIG [--out FILE]
                                                Pylantir's config with its own sync off (see: pylantir-server-config --help)

Options:
${COMMON_OPTIONS}
  --once             run one tick, with its restarts, then exit
  -v, --version      the version

${exitCodes()}`;
}

const RUN_ONCE = `Usage: sync-supervisor run-once [--config FILE] [--log-level LEVEL] [--json-logs]

One supervised tick for system cron or a Kubernetes CronJob: takes the data dir's lock, runs the runner with
the full memory watch and restarts (restart.maxAttempts), writes the history, then exits. Nothing stays
resident. When another supervisor holds the lock, this slot is skipped at once (exit 4, like flock -n), a
"skipped" row is written to the history, and the next cron slot tries again.

Options:
${COMMON_OPTIONS}

${exitCodes()}`;

const CHECK_CONFIG = `Usage: sync-supervisor check-config [--config FILE] [--print-schema]

Validates a config without running anything and prints the resolved settings (defaults applied, paths
absolute). Beyond the schema it checks what the config names on this machine: the variable named by
status.tokenEnv is set, sync.pylantirConfig exists, runner.command is found (on PATH or as a path).
Run it as the service user with the service's environment (systemd: EnvironmentFile; cron: its .env),
since that is where these are looked up. REDCap itself is not contacted.

It also says on stderr which worklist a run would write (the resolved db_path, whether it exists, its row
count), warns when that is Pylantir's default ~/Desktop/worklist.db or under /home, /root or /tmp (hidden or
private under the shipped systemd unit), and fails when the Pylantir config enables no source, or when a
\`pylantir start\` process on this host syncs into the same worklist (named by pid and config, with the fix).

Options:
  --config FILE      the JSON config (default: the built-in one)
  --print-schema     print the config's JSON Schema (for editors) instead
  -h, --help         this text

${exitCodes(['USAGE', 'CONFIG_INVALID'])}`;

const PYLANTIR_SERVER_CONFIG = `Usage: sync-supervisor pylantir-server-config --from PYLANTIR_CONFIG [--out FILE] [--config FILE]

Writes the config for Pylantir's MWL server with its own sync off, for \`pylantir start --pylantir_config FILE\`
once sync-supervisor does the sync: the same db_path made absolute (resolved as the runner resolves it: against
runner.cwd of --config, ~ = the runner's home), "data_sources": [], the legacy single-source keys (redcap2wl,
db_update_interval, site, protocol, operation_interval) removed, and every other key (allowed_aet, …) kept.
Pylantir started with it logs "No enabled data sources found in configuration" and serves the worklist only.
What changed is said on stderr.

Options:
  --from FILE        the Pylantir config your \`pylantir start\` reads now (never overwritten: the runner reads it)
  --out FILE         write there, whole or not at all (a new file gets --from's mode); default: stdout
  --config FILE      the supervisor config whose runner.cwd resolves a relative db_path (default: built-in)
  -h, --help         this text

${exitCodes(['USAGE', 'CONFIG_INVALID', 'PYLANTIR_CONFIG_UNUSABLE', 'OUTPUT_FAILED'])}`;

export function helpText(version: string, topic: HelpTopic = 'supervise'): string {
  if (topic === 'run-once') return RUN_ONCE;
  if (topic === 'check-config') return CHECK_CONFIG;
  if (topic === 'pylantir-server-config') return PYLANTIR_SERVER_CONFIG;
  return overview(version);
}
