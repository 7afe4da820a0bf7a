// Runs the real bin the way cron does: no TTY, a bare environment, a working directory of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixture } from './harness.ts';
import { fromSourceByDefault, programArgs } from './entry-point.ts';

export interface BinRun {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the first stderr line (the log) matching `pattern`. */
  readonly waitForLog: (pattern: RegExp) => Promise<string>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Cron's environment: PATH and HOME, nothing else (no TERM, no NODE_OPTIONS, no tokens). */
export function cronEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

export function runBin(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; dist?: boolean }): BinRun {
  const child = spawn(process.execPath, programArgs('supervisor', args, options.dist ?? !fromSourceByDefault()), {
    cwd: options.cwd,
    env: options.env ?? cronEnv(options.cwd),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const line = err.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const waitForLog = (pattern: RegExp): Promise<string> => {
    const seen = err.split('\n').find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ pattern, resolve });
      void exit.then(() => reject(new Error(`bin exited before logging ${pattern}:\n${err}`)));
    });
  };
  return { child, stdout: () => out, stderr: () => err, waitForLog, exit };
}

/** Writes a config for a fixture runner into `dir`; dataDir is relative, so it resolves against the file's folder. */
export async function writeFixtureConfig(dir: string, script: string, args: string[], overrides: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, 'config.json');
  const config = { runner: { command: process.execPath, args: [fixture(script), ...args] }, dataDir: './data', runOnStart: true, ...overrides };
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}
