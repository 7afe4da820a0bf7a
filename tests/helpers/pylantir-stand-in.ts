// A stand-in for a running Pylantir server: a script named `pylantir` whose command line has the shape of Pylantir's
// console entry point after its shebang, `/usr/bin/python3 /usr/local/bin/pylantir start --pylantir_config FILE`
// (argv0 is set to the interpreter's path; node runs the script). It says "ready" once up and stays until stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after } from 'node:test';

const SCRIPT = `process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.stdout.write('ready\\n');
`;

export interface StandIn {
  readonly pid: number;
  readonly commandLine: string;
  readonly stop: () => Promise<void>;
}

/** Starts `python3 DIR/pylantir ...args` in `cwd` and waits for its "ready"; stopped at the end of the test file at the latest. */
export async function startPylantirStandIn(dir: string, args: readonly string[], cwd: string = dir): Promise<StandIn> {
  const script = join(dir, 'pylantir');
  await writeFile(script, SCRIPT, { mode: 0o755 });
  const child: ChildProcess = spawn(process.execPath, [script, ...args], { cwd, argv0: '/usr/bin/python3', stdio: ['pipe', 'pipe', 'inherit'] });
  // A spawn error rejects this; the readiness wait below reports it.
  const exited = once(child, 'exit').catch(() => undefined);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the pylantir stand-in exited (${code}) before it was ready`)));
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill('SIGTERM');
        await exited;
      }
    })();
    return stopped;
  };
  after(stop);
  return { pid: child.pid ?? -1, commandLine: ['/usr/bin/python3', script, ...args].join(' '), stop };
}
