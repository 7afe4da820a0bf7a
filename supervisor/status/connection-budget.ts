import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface OpenConnection<K> {
  readonly key: K;
  /** Requests received on this connection and not yet answered. */
  readonly inFlight: number;
}

/**
 * PURE: which connections to drop so that no more than `cap` stay open. `open` is ordered longest-idle first;
 * the longest idle go first, never one with a request in flight (someone is being served), never the newcomer.
 * When every other connection is busy, nothing is dropped and the count goes over the cap for a moment.
 */
export function chooseEvictions<K>(open: readonly OpenConnection<K>[], cap: number, newcomer: K): K[] {
  let excess = open.length - cap;
  const evict: K[] = [];
  for (const connection of open) {
    if (excess <= 0) break;
    if (connection.inFlight > 0 || connection.key === newcomer) continue;
    evict.push(connection.key);
    excess--;
  }
  return evict;
}

/**
 * Keeps the status server's connections under a cap without ever turning a new one away.
 *
 * Why not `server.maxConnections` alone: it refuses the *newest* connection, so a client that opens the cap's worth
 * of connections and sends nothing locks every liveness probe out until a timeout sweeps them, and a Kubernetes
 * probe that fails restarts a healthy supervisor. Here a newcomer is always let in and the connection that has
 * been idle longest (no request in flight: a silent socket, a slowloris still dripping headers, a keep-alive one
 * nobody uses) is dropped instead. A probe sends its request the moment it connects, so it is served before a
 * flood could push it to the front of the queue; a dashboard tab that polls moves to the back with each answer.
 */
export class ConnectionBudget {
  /** Open connections, longest idle first: a connection moves to the back whenever its last request is answered. */
  private readonly open = new Map<Socket, { inFlight: number }>();

  constructor(private readonly cap: number) {}

  /** Hooks the server's connections and requests; call before the request handler is added. */
  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.track(request.socket, response));
  }

  private admit(socket: Socket): void {
    this.open.set(socket, { inFlight: 0 });
    socket.once('close', () => this.open.delete(socket));
    if (this.open.size <= this.cap) return;
    const entries = [...this.open].map(([key, state]) => ({ key, inFlight: state.inFlight }));
    for (const victim of chooseEvictions(entries, this.cap, socket)) {
      this.open.delete(victim);
      victim.destroy();
    }
  }

  private track(socket: Socket, response: ServerResponse): void {
    const state = this.open.get(socket);
    if (!state) return;
    state.inFlight++;
    response.once('close', () => {
      state.inFlight--;
      if (state.inFlight > 0 || !this.open.has(socket)) return;
      this.open.delete(socket);
      this.open.set(socket, state);
    });
  }
}
