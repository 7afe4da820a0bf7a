import { AppError } from '../../shared/errors/app-error.ts';
import { startRequestDeadline } from '../../shared/request-deadline.ts';
import { printableUrl, type RedcapCredentials } from '../credentials.ts';
import { JsonArrayItems, JsonExportError } from './json-array-items.ts';
import { judgeAnswer } from './redcap-answer.ts';
import type { FormParams } from './redcap-client.ts';
import { isRedirect, redirectedError } from './redirect.ts';

export interface StreamOptions {
  readonly credentials: RedcapCredentials;
  /** The whole answer's limit, headers to last byte. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** An error answer is read whole to be worded; it is never a record export, so this bound is generous. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

// One REDCap export whose JSON array is parsed as it arrives (json-array-items.ts), so a whole project's answer is
// never held at once: each yield is the array items one network chunk completed. No retry: a caller that needs the
// answer whole treats any failure (status, timeout, cut-short or malformed JSON) as "no answer this time".
export async function* streamRedcapArray(options: StreamOptions, params: FormParams, what: string): AsyncGenerator<unknown[]> {
  const host = printableUrl(options.credentials.url);
  const body = new URLSearchParams([['token', options.credentials.token], ...params.map(([k, v]) => [k, v] as [string, string])]);
  const deadline = startRequestDeadline(options.signal, options.timeoutMs);
  try {
    const response = await fetch(options.credentials.url, { method: 'POST', body, headers: { accept: 'application/json' }, signal: deadline.signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (isRedirect(response.status, location)) {
      await response.body?.cancel().catch(() => undefined);
      throw redirectedError(response.status, location, options.credentials.url, host, what);
    }
    if (response.status < 200 || response.status > 299 || response.body === null) {
      const text = (await response.text()).slice(0, MAX_ERROR_BODY_BYTES);
      const verdict = judgeAnswer({ status: response.status, contentType: response.headers.get('content-type') ?? '', body: text }, what, 'array');
      throw verdict.kind === 'ok' ? new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with HTTP ${response.status} and no body`) : verdict.error;
    }
    const items = new JsonArrayItems();
    for await (const chunk of response.body) {
      const done = items.push(chunk);
      if (done.length > 0) yield done;
    }
    items.end();
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof JsonExportError) throw new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with an answer that is not a whole JSON array of records: ${error.message}`);
    if (options.signal.aborted) throw error;
    const reason = deadline.timedOut() ? `no complete answer within ${options.timeoutMs} ms` : `connection failed (${(error as Error).message})`;
    throw new AppError('REDCAP_UNREACHABLE', `REDCap at ${host}: ${what}: ${reason}`, { cause: error });
  } finally {
    deadline.release();
  }
}
