import type { Duplex } from 'node:stream';
import { CappedLineSplitter } from '../../shared/capped-lines.ts';
import { decodeMessage, encodeMessage } from '../../shared/channel-framing.ts';
import { codedError } from '../history/run-failure.ts';

export interface RunnerChannelEvents {
  /** A line that held JSON: still untrusted, for the protocol's parser to judge. */
  message(value: unknown): void;
  /** A line that was not JSON. */
  malformed(): void;
  /** A line passed `maxBytes`: the channel is closed already; called once. */
  tooLarge(maxBytes: number): void;
}

export interface RunnerChannel {
  /** Sends one message to the runner; false when the channel is closed or the runner is not reading. */
  send(message: unknown): boolean;
  /** Closes the supervisor's end: the runner reads end-of-file. */
  close(): void;
}

/** The `error` column of a run that broke the channel's size cap: what happened, the limit, and what was done. */
export function tooLargeError(maxBytes: number): string {
  return codedError('IPC_MESSAGE_TOO_LARGE', `runner sent a message over ${maxBytes} bytes on its IPC channel (fd 3); the channel was closed and the run stopped (protocol violation)`);
}

/**
 * The supervisor's end of a runner's channel (fd 3 of the child, a socket): NDJSON in, each line read to
 * `maxBytes` and no further, so whatever a runner writes costs at most one capped line of memory. A line past the
 * cap closes the channel at once, before its newline ever comes.
 */
export function openRunnerChannel(socket: Duplex, maxBytes: number, events: RunnerChannelEvents): RunnerChannel {
  let violated = false;
  const splitter = new CappedLineSplitter(
    maxBytes,
    (line) => {
      if (violated || line.trim() === '') return;
      const value = decodeMessage(line);
      if (value === undefined) events.malformed();
      else events.message(value);
    },
    () => {
      violated = true;
      socket.destroy();
      events.tooLarge(maxBytes);
    },
  );
  // A runner that closes its end, or dies, makes EPIPE/ECONNRESET here: the run's end says what happened, not this.
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    if (!violated) splitter.push(chunk);
  });
  socket.on('end', () => {
    if (!violated) splitter.end();
  });
  return {
    send(message) {
      // A runner that never reads must not make us buffer for it: past one message's worth, sends are refused.
      if (socket.destroyed || !socket.writable || socket.writableLength > maxBytes) return false;
      socket.write(encodeMessage(message));
      return true;
    },
    close: () => socket.destroy(),
  };
}
