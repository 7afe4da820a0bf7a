import { defineCodes } from './error-code.ts';

// Exit codes of the post-mortem history CLI (`sync-supervisor history …`).
export const historyCodes = defineCodes({
  HISTORY_NOT_FOUND: { exitCode: 20, hint: 'Pass the `--config FILE` the supervisor runs with (the history is its dataDir/history.db), or `--data-dir DIR`, or `--db PATH` for a copy.' },
  HISTORY_NOT_A_DB: { exitCode: 21, hint: 'The file is not a sync-supervisor history database; check that `--db` names history.db.' },
  HISTORY_SCHEMA_NEWER: { exitCode: 22, hint: 'The history was written by a newer sync-supervisor; read it with that version.' },
  HISTORY_RUN_NOT_FOUND: { exitCode: 23, hint: 'List the runs with `history runs` (same `--config`, `--data-dir` or `--db`) and pick an id from there.' },
  HISTORY_OUTPUT_FAILED: { exitCode: 24, hint: 'Check that the `--out` folder exists and is writable.' },
  HISTORY_LOCKED: { exitCode: 25, hint: 'Retry when the other process is done, or read a copy: `cp history.db* /tmp/` (the file and its -wal, if any) and pass `--db /tmp/history.db`.' },
});
