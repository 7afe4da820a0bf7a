import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers every answer carries: nothing is cached, nothing is sniffed, no token leaks through a Referer. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value)}\n`, ...(headers ? { headers } : {}) };
}

export function textReply(status: number, text: string, headers?: Record<string, string>): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', body: `${text}\n`, ...(headers ? { headers } : {}) };
}

// Writes a reply; HEAD gets the same headers (Content-Length included) and no body, as RFC 9110 asks.
export function send(request: IncomingMessage, response: ServerResponse, reply: Reply): void {
  if (response.headersSent || response.destroyed) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  response.writeHead(reply.status, {
    ...BASE_HEADERS,
    ...reply.headers,
    'content-type': reply.contentType,
    'content-length': String(body.length),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
