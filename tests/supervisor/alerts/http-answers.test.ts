// sendHttp against real local servers: the status decides, the body is read to its cap or the deadline and cut there,
// a failed answer is quoted from its start, and nothing is inflated.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sendHttp } from '../../../supervisor/alerts/http-post.ts';

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

const post = (url: string, timeoutMs = 2000) => sendHttp({ url, method: 'POST', body: '{}' }, new AbortController().signal, timeoutMs);

test('a 200 whose body starts and then stalls is delivered at the deadline, with the cut noted', async () => {
  const url = await serve((_req, res) => {
    res.writeHead(200);
    res.write('ok, and then nothing');
  });
  assert.deepEqual(await post(url, 300), { boundHit: "the answer's body had not ended at the deadline (300 ms) and was cut there" });
});

test('a 500 is a failure quoting the start of its body, whitespace folded', async () => {
  const url = await serve((_req, res) => {
    res.writeHead(500);
    res.end('invalid_payload:\n  missing text');
  });
  await assert.rejects(post(url), /^DeliveryError: answered HTTP 500: invalid_payload: missing text$/);
});

test('a gzip answer is read raw, never inflated, and the request asked for identity', async () => {
  let headers: IncomingHttpHeaders = {};
  const url = await serve((req, res) => {
    headers = req.headers;
    res.writeHead(500, { 'content-encoding': 'gzip' });
    res.end(gzipSync('inflated text'));
  });
  await assert.rejects(post(url), (error: Error) => !error.message.includes('inflated text'));
  assert.equal(headers['accept-encoding'], 'identity');
});

test('a server that never answers is cut at the deadline: no answer, a failed attempt', async () => {
  const url = await serve(() => undefined);
  await assert.rejects(post(url, 200), /no complete answer within 200 ms/);
});
