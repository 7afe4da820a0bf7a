import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { http, startWithStatus } from '../../helpers/status-server.ts';

/** Sends raw bytes and resolves with whatever comes back before the server closes (or 2 s of silence). */
function raw(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(Buffer.concat(chunks).toString('latin1')) : reject(error)));
    socket.write(bytes);
  });
}

test('bad methods get 405 with Allow, unknown paths 404, and the server keeps answering', async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const answer = await http(`${h.base}/memory-status`, { method });
    assert.equal(answer.status, 405, method);
    assert.equal(answer.headers.allow, 'GET, HEAD');
  }
  for (const path of ['/nope', '/memory-status/', '/metrics.txt', '/../etc/passwd', '/%00']) {
    assert.equal((await http(`${h.base}${path}`)).status, 404, path);
  }
  const notFound = JSON.parse((await http(`${h.base}/nope`)).body) as { endpoints: string[] };
  assert.deepEqual(notFound.endpoints, ['/', '/memory-status', '/live-points', '/metrics', '/healthz']);
  assert.equal((await http(`${h.base}/healthz`)).status, 200);
});

test('malformed request lines, huge headers and junk never crash the supervisor', async () => {
  const h = await startWithStatus('ok-runner.mjs', []);
  assert.match(await raw(h.base, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400/);
  assert.match(await raw(h.base, 'GET /memory-status HTTP/1.1\r\nHost: x\r\nX-Big: ' + 'a'.repeat(64 * 1024) + '\r\n\r\n'), /^HTTP\/1\.1 431/);
  assert.match(await raw(h.base, 'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 (400|404)/);
  assert.match(await raw(h.base, 'GET //// HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 400 [^]*bad request target/);
  assert.match(await raw(h.base, '\x00\x01\x02\xff\r\n\r\n'), /^(HTTP\/1\.1 400|)/);
  assert.match(await raw(h.base, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'), /^HTTP\/1\.1 200/);
  // Still alive and serving after all of it.
  assert.equal((await http(`${h.base}/memory-status`)).status, 200);
  assert.equal(h.supervisor.state, 'running');
  assert.ok(!h.lines.some((l) => /status server: .* failed/.test(l)), h.lines.join('\n'));
});
