import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { openRunnerChannel } from '../../../supervisor/run/runner-channel.ts';

/** Lets the pushed chunks reach the channel's 'data' listener. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The supervisor's end of a channel, fed by the test: what `push` gives is what the runner wrote. */
function fakeSocket(): { socket: Duplex; written: string[] } {
  const written: string[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { socket, written };
}

test('messages split across chunks are read whole; blank lines skipped; a line that is not JSON is malformed', async () => {
  const { socket } = fakeSocket();
  const seen: unknown[] = [];
  let malformed = 0;
  openRunnerChannel(socket, 1024, { message: (v) => seen.push(v), malformed: () => malformed++, tooLarge: () => assert.fail('no line is too large') });
  socket.push('{"type":"rea');
  socket.push('dy"}\n\n{not json}\n{"type":"progress","phase":"x","done":1,"total":2}\n');
  await settle();
  assert.deepEqual(seen, [{ type: 'ready' }, { type: 'progress', phase: 'x', done: 1, total: 2 }]);
  assert.equal(malformed, 1);
});

test('a line over the cap closes the channel at once, before its newline, and is reported once; nothing after it is read', async () => {
  const { socket } = fakeSocket();
  const seen: unknown[] = [];
  let tooLarge = 0;
  openRunnerChannel(socket, 16, { message: (v) => seen.push(v), malformed: () => undefined, tooLarge: () => tooLarge++ });
  socket.push('{"type":"ready"}\n');
  socket.push(Buffer.alloc(10, 'x'));
  socket.push(Buffer.alloc(10, 'x'));
  await settle();
  assert.equal(tooLarge, 1);
  assert.equal(socket.destroyed, true);
  socket.push('\n{"type":"ready"}\n');
  await settle();
  assert.deepEqual(seen, [{ type: 'ready' }]);
  assert.equal(tooLarge, 1);
});

test('send writes one JSON line; refused once the channel is closed', () => {
  const { socket, written } = fakeSocket();
  const channel = openRunnerChannel(socket, 1024, { message: () => undefined, malformed: () => undefined, tooLarge: () => undefined });
  assert.equal(channel.send({ type: 'hello' }), true);
  assert.deepEqual(written, ['{"type":"hello"}\n']);
  channel.close();
  assert.equal(channel.send({ type: 'hello' }), false);
});
