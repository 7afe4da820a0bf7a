import { defineCodes } from './error-code.ts';

// Exit codes of the supervisor CLI (`sync-supervisor`, `run-once`, `check-config`, `pylantir-server-config`).
export const supervisorCodes = defineCodes({
  RUN_FAILED: { exitCode: 1, hint: 'The runner exited non-zero on every attempt; read the run with the command the log line prints (`npx sync-supervisor history run <id> --config FILE`).' },
  USAGE: { exitCode: 2, hint: 'Run `sync-supervisor --help` for the commands and options.' },
  RUN_KILLED: { exitCode: 3, hint: 'The runner was killed (memory or timeout) on every attempt; read the run with the command the log line prints (`npx sync-supervisor history run <id> --config FILE`).' },
  LOCK_HELD: { exitCode: 4, hint: 'Another supervisor owns this data dir. Under cron this is the previous run still going: the next slot tries again. Otherwise stop the other one, or give this one its own `dataDir`.' },
  CONFIG_INVALID: { exitCode: 5, hint: 'Fix the named key in the config file; `sync-supervisor check-config --config FILE` checks it without running.' },
  DATA_DIR_UNUSABLE: { exitCode: 6, hint: 'Make the data dir exist and be writable by this user, and make sure the disk has free space.' },
  HISTORY_CORRUPT: { exitCode: 7, hint: 'Move the history file aside (it is kept for the post-mortem) and start again; a new one is created.' },
  HISTORY_FOREIGN: { exitCode: 8, hint: 'This file belongs to another application; point `dataDir` elsewhere or move the file aside.' },
  HISTORY_TOO_NEW: { exitCode: 9, hint: 'The history was written by a newer sync-supervisor; upgrade this one, or use `--db` with a copy.' },
  PYLANTIR_CONFIG_UNUSABLE: { exitCode: 10, hint: 'Give `--from` the Pylantir config your `pylantir start` reads: a readable JSON object (the `--pylantir_config` file).' },
  OUTPUT_FAILED: { exitCode: 11, hint: 'Check that the `--out` folder exists and is writable by this user; nothing was written.' },
  INTERNAL: { exitCode: 70, hint: 'This is a bug; the log in dataDir/logs has the stack trace.' },
});
