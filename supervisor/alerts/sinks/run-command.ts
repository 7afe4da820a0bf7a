// One run of a command sink's program: judged by its exit, never by its pipes; in a process group of its own, so a
// timeout or a stop ends everything it started; its output read to a cap and drained past it.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { signalGroup } from '../../process/process-identity.ts';

/** Output kept (stdout and stderr together) for the error text; the rest is read and dropped, never failing the run. */
export const MAX_COMMAND_OUTPUT_BYTES = 4096;
/** After SIGTERM to the group on a timeout or a stop, how long before SIGKILL. */
export const COMMAND_GRACE_MS = 2000;
/**
 * After the exit (and the SIGKILL to what is left of the group), how long its last output may take to arrive. The
 * pipes close at once unless a process that left the group (setsid) still holds them; then they are cut.
 */
const OUTPUT_TAIL_MS = 250;

export interface CommandRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  /** A stop (or the attempt's deadline): the group is stopped like on a timeout. */
  readonly signal: AbortSignal;
}

export interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The program was still running at `timeoutMs` (its group was then stopped). */
  readonly timedOut: boolean;
  /** `signal` aborted before it exited (its group was then stopped). */
  readonly stopped: boolean;
  /** The first MAX_COMMAND_OUTPUT_BYTES of its stdout and stderr. */
  readonly output: string;
  /** True when it wrote more than that. */
  readonly outputCut: boolean;
}

/**
 * Resolves when the program itself exits, not when its pipes close: a background child that keeps them open (a
 * `sleep 1001 &`) once held every attempt, its fds and its process for good. Then the group is SIGKILLed (what the
 * program left running is not the alert's business and would become an orphan) and the pipes are destroyed, so
 * nothing it started outlives the attempt. Rejects only when the program cannot be started (ENOENT, EMFILE).
 */
export function runCommand(run: CommandRun): Promise<CommandOutcome> {
  return new Promise<CommandOutcome>((resolve, reject) => {
    // detached: setsid, so the program leads a group of its own and `kill(-pid)` reaches all it started.
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(run.command, [...run.args], { env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      reject(error);
      return;
    }
    const { stdout, stderr } = child;
    if (!stdout || !stderr) throw new Error('unreachable: stdio is piped');
    const output = cappedOutput([stdout, stderr]);
    let timedOut = false;
    let stopped = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stopGroup = (): void => {
      if (child.pid === undefined || killTimer !== undefined || child.exitCode !== null || child.signalCode !== null) return;
      const pgid = child.pid;
      signalGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), COMMAND_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup();
    }, run.timeoutMs);
    const onAbort = (): void => {
      stopped = true;
      stopGroup();
    };
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      run.signal.removeEventListener('abort', onAbort);
      stdout.destroy();
      stderr.destroy();
    };
    child.once('error', (error) => {
      finish();
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      // The group outlives its leader while anything it started still runs; that is all killed now.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      void output.ended(OUTPUT_TAIL_MS).then(() => {
        finish();
        resolve({ exitCode, signal, timedOut, stopped, output: output.text(), outputCut: output.cut() });
      });
    });
  });
}

/** Reads every stream to its end, keeping the first MAX_COMMAND_OUTPUT_BYTES in all and dropping the rest. */
function cappedOutput(streams: readonly Readable[]): { text: () => string; cut: () => boolean; ended: (limitMs: number) => Promise<void> } {
  const kept: Buffer[] = [];
  let size = 0;
  for (const stream of streams) {
    stream.on('data', (chunk: Buffer) => {
      const room = MAX_COMMAND_OUTPUT_BYTES - size;
      if (room > 0) kept.push(Buffer.from(chunk.subarray(0, room)));
      size += chunk.length;
    });
    stream.on('error', () => undefined);
  }
  const closed = Promise.all(streams.map((stream) => new Promise<void>((resolve) => {
    if (stream.destroyed || stream.readableEnded) resolve();
    else stream.once('close', () => resolve());
  })));
  const ended = async (limitMs: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
    clearTimeout(timer);
  };
  return { text: () => Buffer.concat(kept).toString('utf8'), cut: () => size > MAX_COMMAND_OUTPUT_BYTES, ended };
}
