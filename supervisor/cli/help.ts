// The text of `sync-supervisor --help`; exit codes listed here come from the error catalogue.
import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';

export function helpText(version: string): string {
  const codes = Object.values(supervisorCodes)
    .map((c) => `  ${String(c.exitCode).padStart(3)}  ${c.code}`)
    .join('\n');
  return `sync-supervisor ${version}: runs a fresh sync-runner per tick, watches its whole-tree memory, kills it before it hurts.

Usage:
  sync-supervisor [--config FILE] [--once]      supervise on the schedule (or one tick with --once)
  sync-supervisor run-once [--config FILE]      one supervised tick for system cron, then exit
  sync-supervisor check-config [--config FILE]  validate a config file and print the resolved settings
  sync-supervisor history <command> [...]       read the memory history (see: history --help)

Options:
  --config FILE      JSON config (default: built-in, which syncs the bundled demo export)
  --once             run one tick, with its restarts, then exit
  --log-level LEVEL  error | warn | info | debug (overrides log.level)
  --json-logs        JSON lines on the console instead of readable lines
  --print-schema     with check-config: print the config's JSON Schema
  -h, --help         this text
  -v, --version      the version

Exit codes:
    0  OK (a clean shutdown on SIGTERM/SIGINT is OK too)
${codes}
`;
}
