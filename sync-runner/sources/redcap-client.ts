import { AppError } from '../../shared/errors/app-error.ts';
import { printableUrl, type RedcapCredentials } from '../credentials.ts';
import { judgeAnswer, type HttpAnswer } from './redcap-answer.ts';
import { readAnswerBody } from './answer-body.ts';
import { isRedirect, redirectedError } from './redirect.ts';
import { startRequestDeadline } from '../../shared/request-deadline.ts';
import { interrupted, withRetries, type AttemptOutcome } from './retry.ts';

export interface RedcapClientOptions {
  readonly credentials: RedcapCredentials;
  /** One request's limit, from sending to the last byte. @default 30000 (set by the source spec) */
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  /** The run's signal. */
  readonly signal: AbortSignal;
  readonly onRetry?: (message: string) => void;
}

export type FormParams = readonly (readonly [string, string])[];

export interface RedcapClient {
  /** A JSON export that must be an array (records, metadata). */
  exportArray(params: FormParams, what: string): Promise<unknown[]>;
  /** A plain-text answer (content=version). */
  exportText(params: FormParams, what: string): Promise<string>;
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

// The REDCap API over built-in fetch: POST, form-encoded, no redirects, a deadline per request (headers and body)
// tied to the run's signal, retries.
export function createRedcapClient(options: RedcapClientOptions): RedcapClient {
  const host = printableUrl(options.credentials.url);

  async function attempt(params: FormParams, what: string, expect: 'array' | 'text'): Promise<AttemptOutcome<unknown>> {
    // The token travels only in the body, never in the URL, so no proxy log or error text ever holds it.
    const body = new URLSearchParams([['token', options.credentials.token], ...params.map(([k, v]) => [k, v] as [string, string])]);
    const deadline = startRequestDeadline(options.signal, options.timeoutMs);
    let answer: HttpAnswer;
    try {
      // Never 'follow': fetch would re-send this body, token included, to whatever host the Location names.
      const response = await fetch(options.credentials.url, { method: 'POST', body, headers: { accept: 'application/json' }, signal: deadline.signal, redirect: 'manual' });
      const location = response.headers.get('location');
      if (isRedirect(response.status, location)) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'fail', error: redirectedError(response.status, location, options.credentials.url, host, what) };
      }
      // Still under the deadline: a server that sends headers and then drips the body is cut at the same limit.
      const { text, cut } = await readAnswerBody(response, expect);
      answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text, cut };
    } catch (error) {
      if (options.signal.aborted) throw interrupted(error);
      const reason = deadline.timedOut() ? `no complete answer within ${options.timeoutMs} ms` : `connection failed (${describeNetworkError(error)})`;
      return { kind: 'retry', error: new AppError('REDCAP_UNREACHABLE', `REDCap at ${host}: ${what}: ${reason}`, { cause: error }) };
    } finally {
      deadline.release();
    }
    return judgeAnswer(answer, what, expect);
  }

  const run = <T>(params: FormParams, what: string, expect: 'array' | 'text') =>
    withRetries<T>(async (n) => (await attempt(params, what, expect)) as AttemptOutcome<T>, {
      maxAttempts: options.maxAttempts,
      baseDelayMs: options.retryDelayMs,
      signal: options.signal,
      onRetry: ({ attempt: n, delayMs, error }) => options.onRetry?.(`attempt ${n} failed (${error.message}); retrying in ${delayMs} ms`),
    });

  return {
    exportArray: (params, what) => run<unknown[]>(params, what, 'array'),
    exportText: (params, what) => run<string>(params, what, 'text'),
  };
}
