// One HTTP exchange of a sink (webhook, healthcheck): one deadline over connect, request, headers and body; the
// answer read to a small cap and never inflated; redirects never followed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { startRequestDeadline } from '../../shared/request-deadline.ts';
import { DeliveryError } from './delivery-error.ts';
import type { Delivered } from './sinks/sink.ts';

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * The most of an answer's body that is read. A sink's answer says nothing we need past its status and a line of
 * error text; an endless body (3.7 GB) or a gzip bomb (2.3 GB from 3 MB) once grew the supervisor by gigabytes.
 */
export const MAX_ANSWER_BYTES = 16 * 1024;
/** The part of a failed answer's body quoted in the error (the row's last_error and the log). */
const QUOTED_CHARS = 200;

/**
 * Resolves on a 2xx, rejects with a DeliveryError otherwise. node:http rather than fetch: undici inflates a gzip or
 * brotli body whatever we ask (a 3 MB bomb became 2.3 GB in the supervisor), and node:http never decodes. So we ask
 * for `identity` and read the raw bytes, at most MAX_ANSWER_BYTES: past that the socket is destroyed and the status
 * stands. `agent: false`: one connection per exchange, closed after it; alerts are rare. A redirect is never
 * followed: it would carry the headers (a token) and the alert to whatever host the Location names. The deadline
 * is owned (see request-deadline.ts for why not AbortSignal.timeout) and covers the whole exchange.
 */
export async function sendHttp(request: HttpRequest, signal: AbortSignal, timeoutMs: number): Promise<Delivered> {
  const deadline = startRequestDeadline(signal, timeoutMs);
  try {
    const answer = await exchange(request, deadline.signal);
    const boundHit = answer.cut === 'cap'
      ? `the answer's body passed ${MAX_ANSWER_BYTES / 1024} KiB and was cut there (the rest was not read)`
      : answer.cut === 'deadline' ? `the answer's body had not ended at the deadline (${timeoutMs} ms) and was cut there` : undefined;
    if (answer.status >= 300 && answer.status < 400) {
      throw new DeliveryError(`answered ${answer.status}, a redirect, which is never followed (it would carry the alert and its headers elsewhere); set the final URL in the config`, { ...(boundHit ? { boundHit } : {}) });
    }
    if (answer.status < 200 || answer.status >= 300) {
      const quoted = answer.text.replace(/\s+/g, ' ').trim().slice(0, QUOTED_CHARS);
      throw new DeliveryError(`answered HTTP ${answer.status}${quoted ? `: ${quoted}` : ''}`, { ...(boundHit ? { boundHit } : {}) });
    }
    return boundHit === undefined ? {} : { boundHit };
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (deadline.timedOut()) throw new DeliveryError(`no complete answer within ${timeoutMs} ms`, { cause: error });
    if (signal.aborted) throw new DeliveryError('request stopped: the supervisor is stopping', { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    throw new DeliveryError(`request failed: ${code ?? (error as Error).message}`, { cause: error });
  } finally {
    deadline.release();
  }
}

interface Answer {
  readonly status: number;
  /** The first bytes of the body, as text. */
  readonly text: string;
  /** Why the body was not read to its end: past MAX_ANSWER_BYTES, or still coming at the deadline. */
  readonly cut: false | 'cap' | 'deadline';
}

/**
 * Sends the request and reads the answer to its end, to the cap, or to `signal`: before the answer's head that
 * is a failed exchange, after it the status stands and the body is cut like at the cap.
 */
function exchange(request: HttpRequest, signal: AbortSignal): Promise<Answer> {
  const url = new URL(request.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  return new Promise<Answer>((resolve, reject) => {
    const req = send(url, {
      method: request.method,
      agent: false,
      headers: {
        ...request.headers,
        'accept-encoding': 'identity',
        ...(body === undefined ? {} : { 'content-length': String(body.length) }),
      },
    });
    let onAbort = (): void => void req.destroy(new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', () => onAbort(), { once: true });
    // `on`, not `once`: a destroyed request can report a second error, and an unheard one would crash the process.
    req.on('error', reject);
    req.once('response', (response: IncomingMessage) => {
      const kept: Buffer[] = [];
      let size = 0;
      let ended = false;
      const done = (cut: Answer['cut']): void => {
        if (ended) return;
        ended = true;
        response.removeAllListeners('data');
        // Never wait for the rest: the connection goes with the request (agent: false), whatever is still coming.
        req.destroy();
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(kept).toString('utf8'), cut });
      };
      response.on('data', (chunk: Buffer) => {
        const room = MAX_ANSWER_BYTES - size;
        kept.push(chunk.subarray(0, Math.max(0, room)));
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) done('cap');
      });
      onAbort = () => done('deadline');
      response.once('end', () => done(false));
      response.on('error', reject);
      response.once('close', () => {
        if (!ended) reject(new Error(signal.aborted ? 'aborted' : 'the connection closed before the answer ended'));
      });
    });
    req.end(body);
  });
}
