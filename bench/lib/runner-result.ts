// A bench's runner spawned as the supervisor spawns it: the channel on fd 3, its result message kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { CHANNEL_FD, MAX_MESSAGE_BYTES } from '../../shared/channel-framing.ts';
import { childEnv, parseRunnerMessage, type ResultMessage } from '../../shared/protocol.ts';
import { openRunnerChannel } from '../../supervisor/run/runner-channel.ts';

export interface RunnerWithResult {
  readonly child: ChildProcess;
  /** The runner's result message, once it has sent one. */
  result(): ResultMessage | undefined;
}

export function spawnRunner(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): RunnerWithResult {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...options.env, [childEnv.channelFd]: String(CHANNEL_FD) } });
  let result: ResultMessage | undefined;
  const socket: unknown = child.stdio[CHANNEL_FD];
  if (socket instanceof Duplex) {
    openRunnerChannel(socket, MAX_MESSAGE_BYTES, {
      message(value) {
        const message = parseRunnerMessage(value);
        if (message?.type === 'result') result = message;
      },
      malformed: () => undefined,
      tooLarge: () => undefined,
    });
  }
  return { child, result: () => result };
}
