import { AppError } from '../../shared/errors/app-error.ts';

/** What came back over HTTP, read fully (bodies are one batch, so bounded). */
export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type AnswerVerdict =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'retry'; readonly error: AppError }
  | { readonly kind: 'fail'; readonly error: AppError };

// Only text that cannot be a record export is ever quoted: a proxy's HTML page, REDCap's own error string.
const excerpt = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 200);

function redcapErrorText(answer: HttpAnswer): string {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') return (parsed as { error: string }).error;
  } catch {
    // not JSON: fall through to the content type and an excerpt
  }
  if (answer.body.startsWith('ERROR:')) return excerpt(answer.body);
  return `${answer.contentType || 'no content type'} body: ${excerpt(answer.body)}`;
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
    return { kind: 'fail', error: new AppError('REDCAP_HTTP_ERROR', `REDCap refused ${what} (HTTP ${status}): ${(parsed as { error: string }).error}`) };
  }
  if (!Array.isArray(parsed)) {
    const shape = parsed === null ? 'null' : typeof parsed === 'object' ? `an object with keys ${Object.keys(parsed).slice(0, 5).join(', ')}` : `a ${typeof parsed}`;
    return { kind: 'fail', error: new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with ${shape}, not the expected JSON array`) };
  }
  return { kind: 'ok', value: parsed };
}
