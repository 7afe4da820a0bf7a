// Extra idle processes on the host, for the host-load bench: `count` `sleep` processes started by one shell in a
// process group of its own, so one signal to the group ends them all.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';

/** Processes on the host now (numeric entries of /proc). */
export function hostProcessCount(): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
}

export interface HostLoad {
  readonly count: number;
  stop(): Promise<void>;
}

/** Starts `count` idle `sleep` processes; resolves once the shell has started every one of them. */
export async function startIdleProcesses(count: number): Promise<HostLoad> {
  const script = `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; echo READY; wait`;
  const shell = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(shell, 'exit');
  const stop = async (): Promise<void> => {
    try {
      process.kill(-(shell.pid ?? 0), 'SIGKILL');
    } catch {
      // the group is gone already
    }
    await exited;
  };
  const [line] = (await Promise.race([once(shell.stdout, 'data'), exited.then(() => [undefined])])) as [Buffer | undefined];
  if (!line?.toString().includes('READY')) {
    await stop();
    throw new Error(`the ${count} idle processes did not start`);
  }
  return { count, stop };
}
