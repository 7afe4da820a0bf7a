import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../shared/errors/app-error.ts';
import { ConnectionBudget } from './connection-budget.ts';

/** Open connections kept; past this the longest-idle one is dropped for a newcomer. 50 dashboard tabs or scrapers fit easily. */
const MAX_CONNECTIONS = 256;
/**
 * Past this many, new connections are refused outright: only reached when MAX_CONNECTIONS requests are in flight at
 * once, which the timeouts below bound to seconds. It caps the file descriptors a flood can cost.
 */
const REFUSE_CONNECTIONS_ABOVE = 2 * MAX_CONNECTIONS;

/**
 * Every client of this server (a probe, a scraper, a browser) sends its whole request in one packet, so anything
 * slower is a stuck or hostile client. Node enforces headersTimeout and requestTimeout by sweeping its connections
 * every connectionsCheckingInterval (30 s by default, which made them nearly moot); the sweep also cuts a connection
 * that has sent nothing at all. `timeout` drops a socket that stops reading our answer.
 */
const TIMEOUTS = {
  headersTimeout: 3_000,
  requestTimeout: 5_000,
  connectionsCheckingInterval: 500,
  /** Long enough for a dashboard polling every second to reuse its connection. */
  keepAliveTimeout: 5_000,
} as const;
const SOCKET_INACTIVITY_MS = 10_000;

const CLIENT_ERROR_STATUS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

// A node:http server bound to host:port, with limits that keep a misbehaving client from holding resources.
export async function listenHttp(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  where: { port: number; host: string },
  onRuntimeError: (error: Error) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ ...TIMEOUTS });
  server.timeout = SOCKET_INACTIVITY_MS;
  server.maxConnections = REFUSE_CONNECTIONS_ABOVE;
  new ConnectionBudget(MAX_CONNECTIONS).attach(server);
  server.on('request', handler);
  // A malformed request line, an oversized header or a request too slow to arrive never reaches the handler; answer it and drop the socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new AppError('CONFIG_INVALID', `status server cannot listen on ${where.host}:${where.port}: ${error.code ?? error.message}`, {
        cause: error,
        hint: 'Pick a free status.port (0 picks an ephemeral one) and a status.host this machine owns.',
      }));
    };
    server.once('error', onError);
    server.listen(where.port, where.host, () => {
      server.off('error', onError);
      // After listen, an 'error' (EMFILE on accept, …) must be logged, never thrown into the supervisor.
      server.on('error', onRuntimeError);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Stops listening and drops every open connection (idle keep-alive ones included), so a stop has a deadline. */
export async function closeHttp(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
