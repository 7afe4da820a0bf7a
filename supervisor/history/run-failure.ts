// PURE: why a run failed, worked out once from what its row holds, for `history runs`, `history run`, the run's
// log line and the status page's recent runs. The reason is in one of two places: the row's `error` column (the
// supervisor's own: a runner that could not be started), or the runner's result (the first failed source's error).
import type { RunRow } from './queries-runs.ts';
import { escapeControls } from '../../shared/terminal-text.ts';

export interface RunFailure {
  /** A stable code: the runner's (`REDCAP_HTTP_ERROR`), or the errno of a start that failed (`ENOENT`); null if none was given. */
  readonly code: string | null;
  readonly message: string;
  /** The failing source's name, when the runner reported one. */
  readonly source: string | null;
  /** How many more sources failed besides this one. */
  readonly moreSources: number;
}

/** `[ENOENT] cannot start …`: the form the supervisor writes into the `error` column, read back for its code. */
export function codedError(code: string, message: string): string {
  return `[${code}] ${message}`;
}

const CODED = /^\[([A-Z][A-Z0-9_]*)\] ([\s\S]*)$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function failedSources(result: unknown): Array<{ source: string | null; code: string | null; message: string }> {
  if (!isRecord(result) || !Array.isArray(result.sources)) return [];
  return result.sources.filter(isRecord).filter((s) => s.status === 'failed').map((s) => {
    const error = isRecord(s.error) ? s.error : {};
    const message = typeof error.message === 'string' ? error.message : typeof s.reason === 'string' ? s.reason : 'failed (the runner gave no message)';
    return { source: typeof s.name === 'string' ? s.name : null, code: typeof error.code === 'string' ? error.code : null, message };
  });
}

/** The supervisor's own error first (nothing ran), else the first failed source; null when nothing failed. */
export function runFailure(error: string | null, result: unknown): RunFailure | null {
  if (error !== null) {
    const coded = CODED.exec(error);
    return { code: coded?.[1] ?? null, message: coded?.[2] ?? error, source: null, moreSources: 0 };
  }
  const [first, ...rest] = failedSources(result);
  return first ? { ...first, moreSources: rest.length } : null;
}

/** The same, from a stored row; an unreadable `result_json` counts as no result. */
export function runFailureOfRow(row: Pick<RunRow, 'error' | 'result_json'>): RunFailure | null {
  let result: unknown = null;
  try {
    result = row.result_json === null ? null : JSON.parse(row.result_json);
  } catch {
    result = null;
  }
  return runFailure(row.error, result);
}

/** The whole story: `source main: [REDCAP_HTTP_ERROR] HTTP 403: You do not have permissions to use the API (+1 more source failed)`. */
export function failureText(failure: RunFailure): string {
  const more = failure.moreSources > 0 ? ` (+${failure.moreSources} more source${failure.moreSources === 1 ? '' : 's'} failed)` : '';
  // Printed to a terminal (the log, `history run`): the runner's text with its control characters escaped.
  return escapeControls(`${failure.source === null ? '' : `source ${failure.source}: `}${failure.code === null ? '' : `[${failure.code}] `}${failure.message}${more}`);
}

/** A table cell: the code, then as much of the message as fits. */
export function failureBrief(failure: RunFailure, max: number): string {
  const text = escapeControls(`${failure.code === null ? '' : `${failure.code} `}${failure.message}`.replace(/\s+/g, ' '));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
