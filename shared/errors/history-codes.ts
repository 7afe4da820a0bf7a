import { defineCodes } from './error-code.ts';

// Exit codes of the post-mortem history CLI (`sync-supervisor history …`).
export const historyCodes = defineCodes({
  HISTORY_NOT_FOUND: { exitCode: 20, hint: 'Check the path: by default the history is dataDir/history.db; use `--db PATH` for a copy.' },
  HISTORY_NOT_A_DB: { exitCode: 21, hint: 'The file is not a sync-supervisor history database; check that `--db` names history.db.' },
  HISTORY_SCHEMA_NEWER: { exitCode: 22, hint: 'The history was written by a newer sync-supervisor; read it with that version.' },
  HISTORY_RUN_NOT_FOUND: { exitCode: 23, hint: 'List the runs with `npm run history -- runs` and pick an id from there.' },
  HISTORY_OUTPUT_FAILED: { exitCode: 24, hint: 'Check that the `--out` folder exists and is writable.' },
});
