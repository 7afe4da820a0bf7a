import { defineCodes } from './error-code.ts';

// Exit codes of the sync-runner child; the supervisor records them in `runs.exit_code`.
export const runnerCodes = defineCodes({
  RUNNER_FAILED: { exitCode: 1, hint: 'At least one source failed; the run row holds each source\'s error.' },
  RUNNER_USAGE: { exitCode: 2, hint: 'Run `node dist/sync-runner/main.js --help` for the options.' },
  PYLANTIR_CONFIG_INVALID: { exitCode: 40, hint: 'Fix the named key in the Pylantir config file named in the message.' },
  CREDENTIALS_INVALID: { exitCode: 41, hint: 'Set REDCAP_API_URL (ending in /api/) and REDCAP_API_TOKEN (32 hex characters) in the environment or in .env.' },
  REDCAP_HTTP_ERROR: { exitCode: 42, hint: 'REDCap refused the request; check the token\'s API rights and the field mapping. The supervisor does not restart the runner for it within the tick.' },
  REDCAP_BAD_RESPONSE: { exitCode: 43, hint: 'REDCap (or a proxy in front of it) answered with something that is not a JSON export; check the URL.' },
  REDCAP_UNREACHABLE: { exitCode: 44, hint: 'REDCap did not answer in time; check the network and REDCAP_API_URL. The next tick retries.' },
  EXPORT_FILE_INVALID: { exitCode: 45, hint: 'Check the export file named in the message: it must be a REDCap JSON or CSV export.' },
  WORKLIST_DB_BUSY: { exitCode: 46, hint: 'Another process held the worklist database longer than the busy timeout; the next tick retries.' },
  WORKLIST_DB_UNUSABLE: { exitCode: 47, hint: 'The worklist database is corrupt, read-only or on a full disk; check the file named in the message.' },
  SOURCE_UNSUPPORTED: { exitCode: 48, hint: 'This source type is not supported by sync-runner; disable it in the Pylantir config.' },
  RUNNER_INTERRUPTED: { exitCode: 49, hint: 'The runner stopped on SIGTERM after finishing its current batch; the next attempt resumes.' },
  REDCAP_REDIRECTED: { exitCode: 50, hint: 'Set REDCAP_API_URL to the final address named in the message; redirects are never followed, so the API token is never sent to another server.' },
  REDCAP_SERVER_ERROR: { exitCode: 51, hint: 'REDCap answered with a server error (HTTP 5xx) or asked to slow down (429) on every attempt; check REDCap\'s own status. The next tick retries.' },
  // The lifecycle step's refusals: recorded in the source's result (the run itself still ends 0), named here.
  WORKLIST_CANCEL_REFUSED: { exitCode: 52, hint: 'The pass would hide more than config.lifecycle.max_cancel_fraction of the source\'s visible rows, so it hid none; check REDCap for a mass deletion, try dry_run, and raise the fraction only if the change is real.' },
  SNAPSHOT_INCOMPLETE: { exitCode: 53, hint: 'The snapshot of the whole project failed, was cut short or listed fewer records than this run\'s export, so nothing was hidden; the next run tries again.' },
});

/** Codes that never end the runner: a lifecycle step's refusal is reported in its source's result; the run goes on. */
export const LIFECYCLE_REFUSAL_CODES: ReadonlySet<string> = new Set([runnerCodes.WORKLIST_CANCEL_REFUSED.code, runnerCodes.SNAPSHOT_INCOMPLETE.code]);

/**
 * Runner exits that a restart within the same tick cannot change: a config, a credential, a refusal by REDCap
 * (401, 403, 400, 404: a person must act), an unsupported source, a redirect. The supervisor gives such a tick up
 * after that attempt instead of asking again with the same token; the next tick tries again.
 */
export const EXITS_NOT_FIXED_BY_A_RESTART: ReadonlySet<number> = new Set(
  (['PYLANTIR_CONFIG_INVALID', 'CREDENTIALS_INVALID', 'REDCAP_HTTP_ERROR', 'SOURCE_UNSUPPORTED', 'REDCAP_REDIRECTED'] as const).map((code) => runnerCodes[code].exitCode),
);
