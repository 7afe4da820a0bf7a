// The `--help` text; the exit codes listed here are the catalogue's (shared/errors), kept in sync by a test.
import { historyCodes } from '../../shared/errors/history-codes.ts';

const exitCodes = Object.values(historyCodes)
  .map((entry) => `  ${String(entry.exitCode).padEnd(3)} ${entry.code}`)
  .join('\n');

export const HISTORY_HELP = `Usage: sync-supervisor history <command> [options]
       npm run history -- <command> [options]

Post-mortem reading of the supervisor's memory history. Opens history.db read-only,
so it is safe while the supervisor runs, and works on a copy from another machine.

Commands:
  runs   [--since AGE|DATE] [--status STATUS] [--limit N]   newest runs (default 50)
  run    <id> [--warn-mb MB] [--emergency-mb MB]            one run: details, result, memory sparkline
  trend  [--source runner|supervisor] [--window N]          growth rate, min/avg/max, hours to emergency
  alerts [--since AGE|DATE] [--run ID] [--limit N]          the alert log (default newest 100)
  export --table runs|memory_history|alerts --format csv|json|jsonl
         [--run ID] [--since AGE|DATE] [--out FILE]         streamed; stdout without --out
  plot   [--run ID | --since AGE|DATE] --out FILE.svg|FILE.html
         [--warn-mb MB] [--emergency-mb MB]                 RSS chart, no network needed to view

Options for every command:
  --db PATH        the history database (default: DIR/history.db from --data-dir, else ./data/history.db)
  --data-dir DIR   the supervisor's dataDir
  --json           machine-readable output on stdout (errors as JSON on stderr)
  -h, --help       this text

AGE is 30m, 24h, 7d or 2w; DATE is 2026-01-31 (local midnight) or an ISO date-time.
export --format json writes ONE JSON array, streamed element by element; jsonl writes one object per line.
Warn/emergency lines: the limits stored with the run (older files: its memory alerts); else 400 / 500 MB.

Exit codes:
  0   ok
  2   USAGE (a bad command or option)
${exitCodes}
  70  INTERNAL (a bug)
`;
