import { AppError } from '../../shared/errors/app-error.ts';
import { capText } from '../../shared/bounded-text.ts';
import { ERROR_BODY_MAX_BYTES } from './answer-body.ts';

/** What came back over HTTP: an export read fully (one batch, so bounded), anything else to ERROR_BODY_MAX_BYTES. */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** The body went on past what was read (answer-body.ts). */
  readonly cut?: boolean;
}

/** How much of REDCap's own error string a message quotes. */
const MAX_ERROR_TEXT_BYTES = 1024;

export type AnswerVerdict =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'retry'; readonly error: AppError }
  | { readonly kind: 'fail'; readonly error: AppError };

// Only text that cannot be a record export is ever quoted: a proxy's HTML page, REDCap's own error string.
const excerpt = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 200);
const cutNote = (answer: HttpAnswer) => (answer.cut ? ` (an answer of more than ${ERROR_BODY_MAX_BYTES} bytes, read no further)` : '');

/** The start of the string in `{"error": "…` when the answer was cut before its end; undefined for any other shape. */
function partialErrorString(body: string): string | undefined {
  const start = /^\s*\{\s*"error"\s*:\s*"/.exec(body);
  if (!start) return undefined;
  const rest = body.slice(start[0].length, start[0].length + 4 * MAX_ERROR_TEXT_BYTES);
  const literal = /^(?:[^"\\]|\\.)*/s.exec(rest)?.[0] ?? '';
  try {
    // A cut escape at the very end (`\`, `\u00`) is dropped rather than misread.
    return JSON.parse(`"${literal.replace(/\\(u[0-9a-fA-F]{0,3})?$/, '')}"`) as string;
  } catch {
    return undefined;
  }
}

/** REDCap's `{"error": …}` string, capped, when the answer is one (whole, or cut short). */
function errorString(answer: HttpAnswer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') return capText((parsed as { error: string }).error, MAX_ERROR_TEXT_BYTES);
  } catch {
    const partial = answer.cut ? partialErrorString(answer.body) : undefined;
    if (partial !== undefined) return `${capText(partial, MAX_ERROR_TEXT_BYTES)}…${cutNote(answer)}`;
  }
  return undefined;
}

function redcapErrorText(answer: HttpAnswer): string {
  const error = errorString(answer);
  if (error !== undefined) return error;
  if (answer.body.startsWith('ERROR:')) return excerpt(answer.body);
  return `${answer.contentType || 'no content type'} body${cutNote(answer)}: ${excerpt(answer.body)}`;
}

// Pure: turns one HTTP answer to `what` (e.g. "content=record batch 3/10") into a JSON array, a retry, or a typed failure.
export function judgeAnswer(answer: HttpAnswer, what: string, expect: 'array' | 'text'): AnswerVerdict {
  const { status } = answer;
  if (status === 429 || status >= 500) {
    return { kind: 'retry', error: new AppError('REDCAP_SERVER_ERROR', `REDCap answered ${what} with HTTP ${status}: ${redcapErrorText(answer)}`, { details: { status } }) };
  }
  if (status < 200 || status > 299) {
    return { kind: 'fail', error: new AppError('REDCAP_HTTP_ERROR', `REDCap refused ${what} with HTTP ${status}: ${redcapErrorText(answer)}`, { details: { status } }) };
  }
  if (expect === 'text') return { kind: 'ok', value: answer.body };
  // An answer that did not start as a JSON array was read only so far: REDCap's error, or something to quote.
  if (answer.cut) {
    const error = errorString(answer);
    if (error !== undefined) return { kind: 'fail', error: new AppError('REDCAP_HTTP_ERROR', `REDCap refused ${what} (HTTP ${status}): ${error}`) };
    return { kind: 'fail', error: new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with ${answer.contentType || 'no content type'} (HTTP ${status}) that is not a JSON array${cutNote(answer)}: ${excerpt(answer.body)}`) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch (error) {
    const looksJson = /json/i.test(answer.contentType) || /^\s*[[{]/.test(answer.body);
    if (!looksJson) {
      return { kind: 'fail', error: new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with ${answer.contentType || 'no content type'} (HTTP ${status}), not JSON: ${excerpt(answer.body)}`) };
    }
    // V8's parse message quotes the body, which may hold record values: report only where it broke.
    const parseMessage = (error as Error).message;
    const position = Number(/at position (\d+)/.exec(parseMessage)?.[1] ?? Number.NaN);
    const truncated = /end of (JSON )?input|Unterminated/i.test(parseMessage) || position >= answer.body.trimEnd().length - 1;
    const how = truncated ? `truncated JSON (it stops after ${answer.body.length} characters)` : `malformed JSON (${answer.body.length} characters)`;
    return { kind: 'fail', error: new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with ${how}`) };
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && typeof (parsed as { error?: unknown }).error === 'string') {
    return { kind: 'fail', error: new AppError('REDCAP_HTTP_ERROR', `REDCap refused ${what} (HTTP ${status}): ${capText((parsed as { error: string }).error, MAX_ERROR_TEXT_BYTES)}`) };
  }
  if (!Array.isArray(parsed)) {
    const shape = parsed === null ? 'null' : typeof parsed === 'object' ? `an object with keys ${Object.keys(parsed).slice(0, 5).join(', ')}` : `a ${typeof parsed}`;
    return { kind: 'fail', error: new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with ${shape}, not the expected JSON array`) };
  }
  return { kind: 'ok', value: parsed };
}
