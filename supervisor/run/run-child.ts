import { setTimeout as delay } from 'node:timers/promises';
import { childEnv, parseRunnerMessage, type ProgressMessage, type ResultMessage, type WorklistChange } from '../../shared/protocol.ts';
import { CHANNEL_FD, MAX_MESSAGE_BYTES } from '../../shared/channel-framing.ts';
import { Duplex } from 'node:stream';
import { forEachCappedLine } from './capped-lines.ts';
import type { MemoryConfig, RunnerConfig } from '../config/types.ts';
import { watchMemory, type TreeSample } from '../memory/memory-watch.ts';
import { runStatus } from './run-outcome.ts';
import { initialRunState, step, type RunAction, type RunEvent, type Termination } from './run-machine.ts';
import { execaSpawn, firstEvent, type SpawnRunner } from './runner-spawn.ts';
import { newRunMark } from '../process/run-mark.ts';
import { RunTree } from '../process/run-tree.ts';
import { runnerEnv } from '../process/env-allow-list.ts';
import { reapStragglers, terminateTree } from '../process/terminate.ts';
import type { RunReport } from '../vocabulary/run-report.ts';
import { EXEC_FAILED_EXIT_CODE, execFailure, startFailure } from './start-failure.ts';
import { openRunnerChannel, tooLargeError, type RunnerChannel } from './runner-channel.ts';
import { boundProgress, boundResult } from './bound-result.ts';

export interface RunEvents {
  spawned(pid: number): void;
  sample(sample: TreeSample): void;
  warned(sample: TreeSample): void;
  /** The tree reached `emergencyMb` and `memory.sustainMs` is running: once per stretch over the line. */
  tolerating?(sample: TreeSample, limitMb: number, sustainMs: number): void;
  /** Once per run, when it is first told to stop; a memory stop carries the verdict and line decided for it. */
  terminating(stop: Termination): void;
  line(stream: 'stdout' | 'stderr', line: string, truncated: boolean): void;
  progress(message: ProgressMessage): void;
  /** A `worklist-changes` message: status changes the runner committed to worklist.db (at most MAX_CHANGES_PER_MESSAGE). */
  worklistChanges?(changes: readonly WorklistChange[]): void;
  invalidMessage(): void;
  /** The runner broke the channel's protocol (a message over the size cap): the channel is closed, the run stopped. */
  protocolViolation?(error: string): void;
  /** Processes that outlived the child were SIGKILLed (`killed`); `survivors` were still there at the deadline. */
  leftBehind(killed: readonly number[], survivors: readonly number[]): void;
}

export type { Termination } from './run-machine.ts';

export interface RunChildOptions {
  readonly runner: RunnerConfig;
  /** The protocol variables (run id, data dir, ...): laid over the allow-listed environment and `runner.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the allow-listed variables are inherited from. @default process.env */
  readonly supervisorEnv?: Readonly<Record<string, string | undefined>>;
  readonly memory: MemoryConfig;
  readonly timeoutMs: number;
  readonly maxLineBytes: number;
  /** The channel's per-message cap. @default MAX_MESSAGE_BYTES */
  readonly maxMessageBytes?: number;
  readonly now: () => number;
  /** Supervisor shutdown: stop the child through the grace path with reason `shutdown`. */
  readonly stop: AbortSignal;
  /** A second shutdown signal: SIGKILL at once. */
  readonly escalate: AbortSignal;
  readonly events: RunEvents;
  /** Starts the child; a test may hand a stand-in. @default execa, imported with the first run */
  readonly spawn?: SpawnRunner;
}

/**
 * One child run, start to finish: a thin shell around the run's state machine (run-machine.ts). It feeds the machine
 * what happens (samples, timers, shutdown signals, the exit) and carries out what it decides (record, warn, SIGTERM,
 * SIGKILL). Every timer and listener hangs off one AbortController released at the end.
 */
export async function runChild(options: RunChildOptions): Promise<RunReport> {
  const run = new AbortController();
  const mark = newRunMark();
  const spawn = options.spawn ?? (await execaSpawn());
  const child = spawn(options.runner.command, [...options.runner.args], {
    cwd: options.runner.cwd,
    env: runnerEnv(options.supervisorEnv ?? process.env, options.runner.env, { ...options.env, [childEnv.runMark]: mark, [childEnv.channelFd]: String(CHANNEL_FD) }),
    extendEnv: false,
    detached: true,
    // Not Node's IPC channel (it buffers a message without bound): a plain socket on fd 3, read by runner-channel.ts.
    ipc: false,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
  });
  // Before anything can await: the child cannot have been reaped yet, so its start time is read for sure.
  const tree = child.pid === undefined ? undefined : new RunTree(child.pid, mark);
  const exited = firstEvent(child, 'exit', run.signal);
  const spawnFailure = firstEvent(child, 'error', run.signal).then((args) => args?.[0] as Error | undefined);
  let state = initialRunState(options.memory);
  let result: ResultMessage | undefined;
  let violation: string | undefined;
  // Every signal sent to the tree: all are through before the stragglers are reaped.
  const signals: Promise<{ readonly immediate: boolean; readonly signalled: number }>[] = [];

  const sendSignal = (immediate: boolean): Promise<unknown> => {
    if (!tree) return Promise.resolve();
    const sent = terminateTree({ tree, immediate }).then(({ signalled }) => ({ immediate, signalled }));
    signals.push(sent);
    return sent;
  };
  const feed = (event: RunEvent): void => {
    const next = step(state, event);
    state = next.state;
    for (const action of next.actions) act(action);
  };
  const timer = (ms: number, type: 'timeout' | 'graceEnded'): Promise<void> =>
    delay(ms, undefined, { signal: run.signal }).then(() => feed({ type, atMs: options.now() }), () => undefined);
  const act = (action: RunAction): void => {
    if (action.type === 'record') options.events.sample(action.sample);
    else if (action.type === 'warn') options.events.warned(action.sample);
    else if (action.type === 'tolerate') options.events.tolerating?.(action.sample, action.limitMb, action.sustainMs);
    else if (action.type === 'killNow') void sendSignal(true);
    // The grace period counts from when SIGTERM has reached the whole tree.
    else if (action.type === 'terminate') void sendSignal(false).then(() => timer(action.graceMs, 'graceEnded'));
    // Announced after its signal is sent: nothing a listener (log line, alert, its delivery) does delays the stop.
    else options.events.terminating(action.stop);
  };

  const socket: unknown = child.stdio[CHANNEL_FD];
  const channel: RunnerChannel | undefined = socket instanceof Duplex
    ? openRunnerChannel(socket, options.maxMessageBytes ?? MAX_MESSAGE_BYTES, {
        message(raw) {
          const message = parseRunnerMessage(raw);
          if (!message) options.events.invalidMessage();
          else if (message.type === 'progress') options.events.progress(boundProgress(message));
          else if (message.type === 'result') result = boundResult(message);
          else if (message.type === 'worklist-changes') options.events.worklistChanges?.(message.changes);
        },
        malformed: () => options.events.invalidMessage(),
        tooLarge(maxBytes) {
          violation = tooLargeError(maxBytes);
          options.events.protocolViolation?.(violation);
          feed({ type: 'protocol', atMs: options.now() });
        },
      })
    : undefined;
  const lines = [
    child.stdout ? forEachCappedLine(child.stdout, options.maxLineBytes, (l, t) => options.events.line('stdout', l, t)) : undefined,
    child.stderr ? forEachCappedLine(child.stderr, options.maxLineBytes, (l, t) => options.events.line('stderr', l, t)) : undefined,
  ];
  if (tree) {
    options.events.spawned(tree.rootPid);
    // The supervisor's shutdown signals are events like any other: the first stops the run, a second kills it now.
    const shutdown = (): void => feed({ type: 'shutdown', atMs: options.now() });
    const secondShutdown = (): void => feed({ type: 'secondShutdown', atMs: options.now() });
    options.stop.addEventListener('abort', shutdown, { signal: run.signal });
    options.escalate.addEventListener('abort', secondShutdown, { signal: run.signal });
    if (options.escalate.aborted) secondShutdown();
    else if (options.stop.aborted) shutdown();
    void timer(options.timeoutMs, 'timeout');
    void watchMemory({
      tree,
      intervalMs: options.memory.sampleIntervalMs,
      limits: options.memory,
      signal: run.signal,
      now: options.now,
      onSample: (sample) => feed({ type: 'sample', sample }),
    });
  }
  const spawnError = await Promise.race([exited.then(() => undefined), spawnFailure]);
  feed({ type: 'exit' });
  // A force kill is a SIGKILL that found the tree still there (the hard limit, a second signal, the grace period's end).
  const forceKilled = (await Promise.all(signals)).some((sent) => sent.immediate && sent.signalled > 0);
  // Reap before awaiting the pipes: a straggler that holds stdout open would otherwise hold us too.
  const left = tree ? await reapStragglers(tree) : { killed: [], survivors: [] };
  if (left.killed.length > 0 || left.survivors.length > 0) options.events.leftBehind(left.killed, left.survivors);
  const outcome = await child;
  channel?.close();
  run.abort();
  await Promise.all(lines);
  const exitCode = outcome.exitCode ?? null;
  const signal = outcome.signal ?? null;
  return {
    status: runStatus({ reason: state.reason ?? undefined, exitCode, signal, spawnError: spawnError !== undefined }),
    reason: state.reason,
    exitCode,
    signal,
    forceKilled,
    stragglersKilled: left.killed.length,
    peakRssBytes: state.peak?.rssBytes ?? null,
    peakPidCount: state.peak?.pidCount ?? null,
    sampleCount: state.sampleCount,
    warnedAtMs: state.warnedAtMs,
    emergencyAtMs: state.emergencyAtMs,
    terminatedAtMs: state.terminatedAtMs,
    error: spawnError
      ? startFailure(spawnError, options.runner)
      : violation ?? (exitCode === EXEC_FAILED_EXIT_CODE && !result ? execFailure(options.runner) : null),
    result: result ?? null,
  };
}
