import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
/** `BENCH_DIST_BIN` points the bench at another build, e.g. the last commit's, for a before/after figure. */
export const distBin = process.env.BENCH_DIST_BIN ?? join(root, 'dist', 'supervisor', 'main.js');
export const fixture = (name: string): string => join(root, 'tests', 'fixtures', name);

/**
 * The node flags a resident supervisor runs with: those of `npm run supervise` (the systemd unit and the image use
 * the same), so the bench measures what is deployed. `BENCH_NODE_FLAGS` overrides them ('' for none).
 */
export const supervisorNodeFlags: readonly string[] = (() => {
  if (process.env.BENCH_NODE_FLAGS !== undefined) return process.env.BENCH_NODE_FLAGS.split(' ').filter((f) => f.length > 0);
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return (scripts.supervise ?? '').split(' ').filter((word) => word.startsWith('--'));
})();

export async function benchDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sync-supervisor-bench-${prefix}-`));
}

export async function writeConfig(dir: string, config: unknown): Promise<string> {
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(config, null, 2));
  return path;
}

export interface BinProcess {
  readonly child: ChildProcess;
  /** Resolves with the first match of `pattern` in the combined output, as it arrives. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Calls `onLine` for every output line from now on. */
  onLine(listener: (line: string) => void): void;
  exited: Promise<number | null>;
}

/** Another build to run than this checkout's (the before-after suite's), and a command to run it under (strace). */
export interface BinTarget {
  readonly bin?: string;
  readonly wrapper?: readonly string[];
}

/** Runs the built supervisor (dist), as an operator would, with its output readable line by line. */
export function spawnBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = { PATH: process.env.PATH }, nodeFlags = supervisorNodeFlags, target: BinTarget = {}): BinProcess {
  const [command, ...commandArgs] = [...(target.wrapper ?? []), process.execPath, ...nodeFlags, target.bin ?? distBin, ...args];
  const child = spawn(command as string, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const listeners: Array<(line: string) => void> = [];
  let buffered = '';
  const feed = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) for (const l of [...listeners]) l(line);
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    exited,
    onLine: (listener) => listeners.push(listener),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const listener = (line: string): void => {
          const match = pattern.exec(line);
          if (match) {
            listeners.splice(listeners.indexOf(listener), 1);
            resolve(match);
          }
        };
        listeners.push(listener);
        void exited.then(() => reject(new Error(`supervisor exited before ${pattern}`)));
      }),
  };
}
