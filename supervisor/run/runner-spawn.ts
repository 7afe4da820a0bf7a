// How a run starts its child: execa by default, or a stand-in a test hands over where the real process isn't the point.
import type { Readable } from 'node:stream';
import type { Options as SpawnOptions } from 'execa';

export type { SpawnOptions };

/** What a finished child amounts to: execa's result, narrowed to what a run reads. */
export interface RunnerOutcome {
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
}

type Listener = (...args: unknown[]) => void;

/**
 * What a run needs of its child: its pid and pipes (fd 3 is the channel, runner-channel.ts), its `exit` and `error`
 * events, and, once awaited, its outcome (execa resolves only after the exit and the pipes' end).
 */
export interface RunnerChild extends PromiseLike<RunnerOutcome> {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdio: readonly unknown[];
  once(event: 'exit' | 'error', listener: Listener): unknown;
  off(event: 'exit' | 'error', listener: Listener): unknown;
}

/** Starts the runner: execa's signature, narrowed to what a run uses. */
export type SpawnRunner = (command: string, args: readonly string[], options: SpawnOptions) => RunnerChild;

/** execa (about 13 MB of RSS once loaded), imported with the first run, so an idle supervisor does not carry it. */
export async function execaSpawn(): Promise<SpawnRunner> {
  const { execa } = await import('execa');
  return (command, args, options) => execa(command, args, options);
}

/**
 * The arguments of the child's first `event`, or undefined if `signal` aborts first (its listener then removed), as
 * `events.once` would give them; a child typed by what a run uses is not a full EventEmitter.
 */
export function firstEvent(child: RunnerChild, event: 'exit' | 'error', signal: AbortSignal): Promise<unknown[] | undefined> {
  return new Promise((resolve) => {
    const onEvent: Listener = (...args) => {
      signal.removeEventListener('abort', onAbort);
      resolve(args);
    };
    const onAbort = (): void => {
      child.off(event, onEvent);
      resolve(undefined);
    };
    child.once(event, onEvent);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
