// A flood of connections that never finish a request must not starve /healthz: a liveness probe that fails there
// restarts a healthy supervisor. Real sockets on 127.0.0.1; every one is closed before the test ends.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { startWithStatus } from '../../helpers/status-server.ts';

const FLOOD = 1000;
const PROBES = 30;
const PROBE_TIMEOUT_MS = 2000;
/** A partial request: the request line and one header, never the blank line that ends the headers. */
const UNFINISHED_HEADERS = 'GET /healthz HTTP/1.1\r\nHost: flood\r\n';

/** Opens `count` connections (every other one sends unfinished headers) and resolves once each is connected. */
async function holdConnections(base: string, count: number): Promise<Socket[]> {
  const { hostname, port } = new URL(base);
  const sockets: Socket[] = [];
  // In batches, so the listen backlog never overflows into SYN retries that take a second each.
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, (_, i) => {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => undefined); // the server may reset a held connection; that is the point
      sockets.push(socket);
      return once(socket, 'connect').then(() => {
        if ((start + i) % 2 === 1) socket.write(UNFINISHED_HEADERS);
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

async function closeAll(sockets: readonly Socket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => {
    if (socket.closed) return undefined;
    const closed = once(socket, 'close');
    socket.destroy();
    return closed;
  }));
}

/** One GET /healthz on a fresh connection, as a Kubernetes probe does: the status code, or why it failed. */
function probe(base: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(`${base}/healthz`, { agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', (error) => resolve(error.message));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

test(`/healthz answers ${PROBES} of ${PROBES} probes while ${FLOOD} idle or half-sent connections are held`, async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  const flood = await holdConnections(h.base, FLOOD);
  try {
    const answers: Array<number | string> = [];
    for (let i = 0; i < PROBES; i++) answers.push(await probe(h.base));
    assert.deepEqual(answers, Array(PROBES).fill(200), `probe answers: ${answers.join(', ')}`);
  } finally {
    await closeAll(flood);
  }
  assert.equal(h.supervisor.state, 'running');
});

test('a slowloris client dripping one header at a time is cut off, and /healthz answers meanwhile', async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  const { hostname, port } = new URL(h.base);
  const slow = connect(Number(port), hostname);
  slow.on('error', () => undefined);
  const received: Buffer[] = [];
  slow.on('data', (chunk: Buffer) => received.push(chunk));
  const closed = once(slow, 'close');
  await once(slow, 'connect');
  slow.write('GET /memory-status HTTP/1.1\r\nHost: slow\r\n');
  const drip = setInterval(() => slow.write(`X-Drip-${Date.now()}: 1\r\n`), 100);
  const deadline = new AbortController();
  try {
    assert.equal(await probe(h.base), 200);
    // The server's limit is a few seconds; this bound only tells "cut off" from "held until some far-off sweep".
    const cut = await Promise.race([closed.then(() => true), delay(15_000, false, { signal: deadline.signal })]);
    assert.equal(cut, true, 'the server still holds a connection whose headers never end');
    assert.match(Buffer.concat(received).toString('latin1'), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  } finally {
    clearInterval(drip);
    deadline.abort();
    slow.destroy();
  }
  assert.equal(await probe(h.base), 200);
});
