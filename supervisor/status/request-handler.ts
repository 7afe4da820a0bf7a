import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../shared/logger.ts';
import { jsonReply, send, type Reply } from './respond.ts';
import { requestAuthorized } from './status-token.ts';

export interface Route {
  /** Exact path; the status server has no parameters in paths. */
  readonly path: string;
  /** Also accept `?token=` (the dashboard page, which a browser opens from a bookmark). @default false */
  readonly queryToken?: boolean;
  handle(url: URL): Promise<Reply> | Reply;
}

export interface RequestHandlerOptions {
  readonly routes: readonly Route[];
  /** The bearer token; no auth when undefined. */
  readonly token: string | undefined;
  readonly logger: Logger;
}

const ALLOWED_METHODS = 'GET, HEAD';
/** Any base works: only the path and query of a request target are used. */
const BASE = 'http://status.invalid';

function parseTarget(raw: string | undefined): URL | undefined {
  try {
    return new URL(raw ?? '/', BASE);
  } catch {
    return undefined;
  }
}

// Pure routing decision: which reply a request gets before (or instead of) its handler running.
export function screenRequest(
  request: { method: string | undefined; url: string | undefined; authorization: string | undefined },
  options: Pick<RequestHandlerOptions, 'routes' | 'token'>,
): { reject: Reply } | { route: Route; url: URL } {
  const url = parseTarget(request.url);
  if (!url) return { reject: jsonReply(400, { error: 'bad request target' }) };
  const route = options.routes.find((r) => r.path === url.pathname);
  if (!route) return { reject: jsonReply(404, { error: `no such endpoint ${url.pathname}`, endpoints: options.routes.map((r) => r.path) }) };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { reject: jsonReply(405, { error: `method ${request.method ?? '?'} not allowed` }, { allow: ALLOWED_METHODS }) };
  }
  const queryToken = route.queryToken ? url.searchParams.get('token') : null;
  if (!requestAuthorized(options.token, request.authorization, queryToken)) {
    const offered = request.authorization !== undefined || queryToken !== null;
    const challenge = `Bearer realm="sync-supervisor"${offered ? ', error="invalid_token"' : ''}`;
    return { reject: jsonReply(401, { error: offered ? 'wrong token' : 'a bearer token is required' }, { 'www-authenticate': challenge }) };
  }
  return { route, url };
}

// The one entry for every request. Nothing a client sends may throw out of here: the server lives inside the supervisor.
export function createRequestHandler(options: RequestHandlerOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const fail = (error: unknown): void => {
      options.logger.error(`status server: ${request.method ?? '?'} ${request.url ?? '?'} failed: ${(error as Error).stack ?? String(error)}`);
      send(request, response, jsonReply(500, { error: 'internal error; see the supervisor log' }));
    };
    try {
      const screened = screenRequest({ method: request.method, url: request.url, authorization: request.headers.authorization }, options);
      if ('reject' in screened) return send(request, response, screened.reject);
      Promise.resolve()
        .then(() => screened.route.handle(screened.url))
        .then((reply) => send(request, response, reply), fail)
        .catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
