// The `--help` texts; the exit codes listed here are the catalogue's (shared/errors), kept in sync by a test.
import { historyCodes } from '../../shared/errors/history-codes.ts';
import { RUN_STATUSES } from '../vocabulary/words.ts';
import { WORKLIST_CHANGE_REASONS } from '../../shared/protocol.ts';
import type { CommandName } from './args.ts';
import { RUNS_COLUMNS } from './commands/runs.ts';

/** What each code means in a sentence; the number and name come from the catalogue. */
const MEANING: Record<keyof typeof historyCodes, string> = {
  HISTORY_NOT_FOUND: 'no history.db where --config/--data-dir/--db point',
  HISTORY_NOT_A_DB: 'the file is not a sync-supervisor history (or is damaged)',
  HISTORY_SCHEMA_NEWER: 'written by a newer sync-supervisor',
  HISTORY_RUN_NOT_FOUND: 'no run with that id',
  HISTORY_OUTPUT_FAILED: 'the --out file or stdout could not be written',
  HISTORY_LOCKED: 'another process holds history.db locked',
};

const meaning = (code: string): string => MEANING[code as keyof typeof historyCodes] ?? '';

const EXIT_CODES = `Exit codes:
  0   OK
  2   USAGE                  a bad command or option
  5   CONFIG_INVALID         the --config file is invalid
${Object.entries(historyCodes).map(([code, entry]) => `  ${String(entry.exitCode).padEnd(3)} ${code.padEnd(22)} ${meaning(code)}`).join('\n')}
  70  INTERNAL               a bug
`;

const WHERE = `Which history (every command):
  --config FILE    the supervisor's config: reads its dataDir/history.db (what a log hint prints); times are
                   shown in its \`timezone\`, and \`trend\` applies its trend.minPoints / trend.minSpanMs
  --data-dir DIR   the supervisor's dataDir: reads DIR/history.db
  --db PATH        a history.db file, e.g. a copy from another machine
  Without any of them: the built-in config's dataDir, ./data/history.db, as \`sync-supervisor\` would use.
  Times carry their UTC offset; without a config \`timezone\` they are in TZ, else the machine's zone.
  --json           machine-readable output on stdout (errors as JSON on stderr)
  -h, --help       this text`;

const AGE = 'AGE is 30m, 24h, 7d or 2w; DATE is 2026-01-31 (local midnight) or an ISO date-time.';
const LINES = 'Warn/emergency lines: the limits stored with the run (older files: its memory alerts); else 400 / 500 MB.';

export const HISTORY_HELP = `Usage: sync-supervisor history <command> [options]     (npx sync-supervisor history … from the package folder)

Post-mortem reading of the supervisor's memory history. Opens history.db read-only,
so it is safe while the supervisor runs, and works on a copy from another machine.

Commands (each has its own --help):
  runs   [--since AGE|DATE] [--status STATUS] [--limit N]   newest runs (default 50)
  run    <id> [--warn-mb MB] [--emergency-mb MB]            one run: details, result, memory sparkline
  trend  [--source runner|supervisor] [--window N]          growth rate, min/avg/max, hours to emergency
  alerts [--since AGE|DATE] [--run ID] [--limit N]          the alert log (default newest 100)
  worklist [--since AGE|DATE] [--run ID] [--limit N]        worklist rows the sync hid (CANCELED) or restored
  export --table runs|memory_history|alerts --format csv|json|jsonl
         [--run ID] [--since AGE|DATE] [--out FILE]         streamed; stdout without --out
  plot   [--run ID | --since AGE|DATE] --out FILE.svg|FILE.html
         [--warn-mb MB] [--emergency-mb MB]                 RSS chart, no network needed to view

${WHERE}

${AGE}
export --format json writes ONE JSON array, streamed element by element; jsonl writes one object per line.
${LINES}

${EXIT_CODES}`;

const COMMAND_HELP: Record<CommandName, string> = {
  runs: `Usage: sync-supervisor history runs [--since AGE|DATE] [--status STATUS] [--limit N] [--config FILE]

The newest runs first, one line each, in these columns: ${RUNS_COLUMNS.join(', ')}.
(exit: the runner's exit code, else the signal that ended it.)
  --since AGE|DATE  only runs started since then
  --status STATUS   only runs with this status: ${RUN_STATUSES.join(', ')}
  --limit N         at most N runs (default 50)
${AGE}`,
  run: `Usage: sync-supervisor history run <id> [--warn-mb MB] [--emergency-mb MB] [--config FILE]

One run: its details, the runner's result, its alerts and a memory sparkline.
  --warn-mb MB, --emergency-mb MB  draw these lines instead of the run's own limits
${LINES}`,
  trend: `Usage: sync-supervisor history trend [--source runner|supervisor] [--window N] [--emergency-mb MB] [--config FILE]

Growth rate, min/avg/max and hours to the emergency line, over the newest samples.
  --source runner|supervisor  whose memory (default runner); supervisor: the newest supervisor process only
                              (since its supervisor-start), as a slope across processes is no leak
  --window N                  how many of the newest runs (or self-samples) to fit
  --emergency-mb MB           the line "hours to emergency" is measured against`,
  alerts: `Usage: sync-supervisor history alerts [--since AGE|DATE] [--run ID] [--limit N] [--config FILE]

The alert log, newest first (default the newest 100).
  --since AGE|DATE  only alerts since then
  --run ID          only one run's alerts
  --limit N         at most N alerts
${AGE}`,
  worklist: `Usage: sync-supervisor history worklist [--since AGE|DATE] [--run ID] [--limit N] [--config FILE]

Every status change the sync made to a worklist row, oldest first (default the newest 100): a visit
deleted in REDCap, an MRI instance deleted, a date cleared or an expired visit hidden as CANCELED, and
a row put back to SCHEDULED (restored) when its visit came back. One line each: time, worklist row id,
patient_id, old → new status, reason, REDCap record/instance, source and run.
  --since AGE|DATE  only changes made since then
  --run ID          only the changes one run made (\`history run ID\` shows their counts)
  --limit N         at most N changes
Reasons: ${WORKLIST_CHANGE_REASONS.join(', ')}.
${AGE}`,
  export: `Usage: sync-supervisor history export --table runs|memory_history|alerts --format csv|json|jsonl [--run ID] [--since AGE|DATE] [--out FILE] [--config FILE]

Streams one table, to stdout or --out FILE. json writes ONE JSON array, streamed element by element;
jsonl writes one object per line; csv has a header row.
${AGE}`,
  plot: `Usage: sync-supervisor history plot [--run ID | --since AGE|DATE] --out FILE.svg|FILE.html [--warn-mb MB] [--emergency-mb MB] [--config FILE]

An RSS chart of one run or of a time span, as a self-contained SVG or HTML file (no network needed to view).
The time axis fits the data inside the window (--since, or all of it), with a small margin.
  --warn-mb MB, --emergency-mb MB  draw these lines instead of the stored limits
${LINES}`,
};

/** \`history <command> --help\`: that command's usage, then the options and exit codes every command shares. */
export function commandHelp(command: CommandName): string {
  return `${COMMAND_HELP[command]}\n\n${WHERE}\n\n${EXIT_CODES}`;
}
