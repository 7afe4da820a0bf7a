import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fromSourceByDefault, programArgs } from './entry-point.ts';

export interface SpawnedSupervisor {
  readonly child: ChildProcess;
  readonly output: () => string;
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real bin as its own process, built or from source as tests/helpers/entry-point.ts decides. */
export function spawnSupervisor(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; built?: boolean }): SpawnedSupervisor {
  const child = spawn(process.execPath, programArgs('supervisor', args, options.built ?? !fromSourceByDefault()), {
    cwd: options.cwd,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpExecArray) => void }> = [];
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    for (const w of [...waiters]) {
      const match = w.pattern.exec(text);
      if (match) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  // 'close', not 'exit': the last output lines are read by then.
  const exit = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    output: () => text,
    waitFor: (pattern) => {
      const match = pattern.exec(text);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exit.then(() => setImmediate(() => reject(new Error(`supervisor exited before printing ${pattern}:\n${text}`))));
      });
    },
    exited: () => exit,
  };
}

/**
 * Waits until `pid` is gone or `deadlineMs` passes. The pid is not our child (it belongs to the
 * supervisor under test), so there is no exit event to await; the deadline is the assertion.
 */
export async function goneWithin(pid: number, deadlineMs: number, isAlive: (pid: number) => boolean): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  while (performance.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !isAlive(pid);
}
