import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { CappedLineSplitter } from '../shared/capped-lines.ts';
import { MAX_MESSAGE_BYTES, decodeMessage, encodeMessage } from '../shared/channel-framing.ts';
import { childEnv, type RunnerMessage } from '../shared/protocol.ts';

export interface SupervisorChannel {
  /** Resolves once the message is handed to the OS: true; false when the channel is closed or the message too large. */
  send(message: RunnerMessage): Promise<boolean>;
  /** Calls `listener` once when the supervisor's end is gone (end-of-file or an error); at once if it already is. */
  onClosed(listener: () => void): void;
  /** Calls `listener` with each message the supervisor sends (untrusted JSON values); none are defined yet. */
  onMessage(listener: (value: unknown) => void): void;
}

function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

/**
 * The runner's end of its channel to the supervisor: the socket named by `SYNC_SUPERVISOR_CHANNEL_FD` (fd 3), one
 * JSON object per line each way. Undefined when the variable is absent (run by hand) or names no socket. The
 * variable is taken out of `env`, so a process this runner starts never mistakes some other fd 3 for the channel.
 * The supervisor's death closes its end: this end reads end-of-file, which is how a runner knows to stop.
 */
export function openSupervisorChannel(env: NodeJS.ProcessEnv, onRefused: (bytes: number) => void): SupervisorChannel | undefined {
  const named = env[childEnv.channelFd];
  delete env[childEnv.channelFd];
  const fd = Number(named);
  if (named === undefined || !Number.isSafeInteger(fd) || fd < 0 || !isSocket(fd)) return undefined;
  const socket = new Socket({ fd, readable: true, writable: true });
  // The channel alone never keeps the runner alive; the runner exits when its sync is done.
  socket.unref();
  let closed = false;
  const closedListeners: Array<() => void> = [];
  const messageListeners: Array<(value: unknown) => void> = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const listener of closedListeners.splice(0)) listener();
  };
  const splitter = new CappedLineSplitter(MAX_MESSAGE_BYTES, (line, truncated) => {
    const value = truncated ? undefined : decodeMessage(line);
    if (value !== undefined) for (const listener of messageListeners) listener(value);
  });
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.once('end', close);
  socket.once('close', close);
  socket.on('error', close);
  return {
    send(message) {
      if (closed) return Promise.resolve(false);
      const line = encodeMessage(message);
      const bytes = Buffer.byteLength(line) - 1;
      // The supervisor would close the channel and stop the run over it: say so here and keep the run.
      if (bytes > MAX_MESSAGE_BYTES) {
        onRefused(bytes);
        return Promise.resolve(false);
      }
      return new Promise((resolve) => socket.write(line, (error) => resolve(!error)));
    },
    onClosed(listener) {
      if (closed) listener();
      else closedListeners.push(listener);
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
  };
}
