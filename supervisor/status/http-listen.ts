import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../../shared/errors/app-error.ts';

/** Caps what a flood of clients can cost the supervisor; 50 dashboard tabs or scrapers fit easily. */
const MAX_CONNECTIONS = 256;

// A node:http server bound to host:port, with limits that keep a misbehaving client from holding resources.
export async function listenHttp(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  where: { port: number; host: string },
  onRuntimeError: (error: Error) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 }, handler);
  server.maxConnections = MAX_CONNECTIONS;
  // A malformed request line or an oversized header never reaches the handler; answer it and drop the socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
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
