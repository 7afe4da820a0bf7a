// One HTTP request of a sink: its own deadline over headers and body, and redirects never followed.
import { startRequestDeadline } from '../../shared/request-deadline.ts';
import { DeliveryError } from './delivery-error.ts';

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * Resolves on a 2xx, rejects with a DeliveryError otherwise. `redirect: 'manual'`: a followed redirect would send
 * the headers (a token) and the alert to whatever host the Location names. The deadline is owned (see
 * request-deadline.ts for why not AbortSignal.timeout), and the body is read under it, so a receiver that sends
 * headers and then nothing is cut at `timeoutMs` too.
 */
export async function sendHttp(request: HttpRequest, signal: AbortSignal, timeoutMs: number): Promise<void> {
  const deadline = startRequestDeadline(signal, timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers ? { ...request.headers } : {},
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: deadline.signal,
    });
    await response.arrayBuffer();
    if (response.status >= 300 && response.status < 400) {
      throw new DeliveryError(`answered ${response.status}, a redirect, which is never followed (it would carry the alert and its headers elsewhere); set the final URL in the config`);
    }
    if (response.status < 200 || response.status >= 300) throw new DeliveryError(`answered HTTP ${response.status}`);
  } catch (error) {
    if (error instanceof DeliveryError) throw error;
    if (deadline.timedOut()) throw new DeliveryError(`no complete answer within ${timeoutMs} ms`, { cause: error });
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError(`request failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`, { cause: error });
  } finally {
    deadline.release();
  }
}
