// Which signal the supervisor sent the runner first, from the kill() calls themselves: the supervisor runs under
// strace, whose seccomp filter stops it at kill() alone. A runner's own SIGTERM handler cannot tell: before issue 21
// the SIGKILL came ~8 ms after the SIGTERM, and on a loaded machine the runner was often not scheduled in between.
import { spawnSync } from 'node:child_process';

/** strace's options: follow every thread and child, stop only at kill(), quiet, write to `file`. */
export const straceWrapper = (file: string): string[] => ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=kill', '-o', file];

let usable: boolean | undefined;
/** strace is installed and may trace here (a container can forbid ptrace); checked once. */
export function straceUsable(): boolean {
  const [command, ...options] = straceWrapper('/dev/null');
  usable ??= spawnSync(command as string, [...options, '/bin/true'], { stdio: 'ignore' }).status === 0;
  return usable;
}

/** Pure: the first signal strace saw sent to `pid` or to its process group (-pid); kill(pid, 0) probes are no signal. */
export function firstSignalTo(trace: string, pid: number): string | undefined {
  for (const match of trace.matchAll(/\bkill\((-?\d+), (SIG[A-Z0-9]+)\)/g)) {
    if (Math.abs(Number(match[1])) === pid) return match[2];
  }
  return undefined;
}
