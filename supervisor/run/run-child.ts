import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { childEnv, parseRunnerMessage, type ProgressMessage, type ResultMessage, type WorklistChange } from '../../shared/protocol.ts';
import { CHANNEL_FD, MAX_MESSAGE_BYTES } from '../../shared/channel-framing.ts';
import { Duplex } from 'node:stream';
import { forEachCappedLine } from './capped-lines.ts';
import type { MemoryConfig, RunnerConfig } from '../config/types.ts';
import { decide, type MemoryDecision } from '../memory/decide.ts';
import { watchMemory, type TreeSample } from '../memory/memory-watch.ts';
import { runStatus, type TerminationReason } from './run-outcome.ts';
import { newRunMark } from './run-mark.ts';
import { RunTree } from '../process/run-tree.ts';
import { runnerEnv } from './runner-env.ts';
import { reapStragglers, terminateTree } from '../process/terminate.ts';
import type { RunReport } from './run-report.ts';
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

/** Why a run is being stopped, and when. A memory stop carries the sample that decided it, its verdict and the line crossed. */
export type Termination =
  | {
      readonly reason: 'memory';
      readonly verdict: 'terminate' | 'kill';
      readonly limitMb: number;
      readonly sample: TreeSample;
      /** The first sample of the stretch at or over emergencyMb that ended in this stop. */
      readonly crossedAtMs: number;
      readonly atMs: number;
    }
  | { readonly reason: Exclude<TerminationReason, 'memory'>; readonly atMs: number };

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
}

// One child run, start to finish. Every timer and listener hangs off one AbortController released at the end.
export async function runChild(options: RunChildOptions): Promise<RunReport> {
  const run = new AbortController();
  const hardKill = new AbortController();
  const forwardEscalate = (): void => hardKill.abort();
  options.escalate.addEventListener('abort', forwardEscalate, { signal: run.signal });
  const mark = newRunMark();
  // execa (about 13 MB of RSS once loaded) is imported with the first run, so an idle supervisor does not carry it.
  const { execa } = await import('execa');
  const child = execa(options.runner.command, [...options.runner.args], {
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
  const exited = once(child, 'exit', { signal: run.signal }).catch(() => undefined) as Promise<unknown>;
  const spawnFailure = once(child, 'error', { signal: run.signal }).then(([e]) => e as Error, () => undefined);
  let reason: TerminationReason | undefined;
  let termination: Promise<{ forceKilled: boolean }> | undefined;
  let peak: TreeSample | undefined;
  let warnedAtMs: number | null = null;
  let emergencyAtMs: number | null = null;
  let terminatedAtMs: number | null = null;
  let overSinceMs: number | null = null;
  let samples = 0;
  let result: ResultMessage | undefined;
  let violation: string | undefined;

  const stopChild = (stop: Termination): void => {
    reason ??= stop.reason;
    // The crossing is a fact of its own: it is kept even when a shutdown or a timeout stopped the run first.
    if (stop.reason === 'memory') emergencyAtMs ??= stop.crossedAtMs;
    if (termination || !tree) return;
    terminatedAtMs = stop.atMs;
    termination = terminateTree({ tree, exited, graceMs: options.memory.graceMs, escalate: hardKill.signal });
    // Listeners (log line, alert, its delivery) hear of the stop once it is under way: nothing they do delays the SIGTERM.
    options.events.terminating(stop);
  };
  const stopFor = (why: Exclude<TerminationReason, 'memory'>): void => stopChild({ reason: why, atMs: options.now() });
  const onSample = (sample: TreeSample): void => {
    samples += 1;
    if (!peak || sample.rssBytes > peak.rssBytes) peak = sample;
    options.events.sample(sample);
    const decision: MemoryDecision = decide(sample.rssBytes, options.memory, overSinceMs, sample.atMs);
    const { verdict } = decision;
    const newStretch = overSinceMs === null && decision.overSinceMs !== null;
    overSinceMs = decision.overSinceMs;
    // The first crossing is recorded even when sustainMs tolerates it and the tree dips back: it happened.
    if (newStretch) emergencyAtMs ??= sample.atMs;
    if (verdict !== 'ok' && warnedAtMs === null) {
      warnedAtMs = sample.atMs;
      options.events.warned(sample);
    }
    if (verdict === 'tolerate' && newStretch) options.events.tolerating?.(sample, options.memory.emergencyMb, options.memory.sustainMs);
    if ((verdict === 'terminate' || verdict === 'kill') && decision.overSinceMs !== null && decision.limitMb !== null) {
      stopChild({ reason: 'memory', verdict, limitMb: decision.limitMb, sample, crossedAtMs: decision.overSinceMs, atMs: options.now() });
    }
    if (verdict === 'kill') hardKill.abort();
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
          stopFor('protocol');
        },
      })
    : undefined;
  const lines = [
    child.stdout ? forEachCappedLine(child.stdout, options.maxLineBytes, (l, t) => options.events.line('stdout', l, t)) : undefined,
    child.stderr ? forEachCappedLine(child.stderr, options.maxLineBytes, (l, t) => options.events.line('stderr', l, t)) : undefined,
  ];
  if (tree) {
    options.events.spawned(tree.rootPid);
    options.stop.addEventListener('abort', () => stopFor('shutdown'), { signal: run.signal });
    if (options.stop.aborted) stopFor('shutdown');
    delay(options.timeoutMs, undefined, { signal: run.signal }).then(() => stopFor('timeout'), () => undefined);
    void watchMemory({
      tree,
      intervalMs: options.memory.sampleIntervalMs,
      limits: options.memory,
      signal: run.signal,
      now: options.now,
      onSample,
    });
  }
  const spawnError = await Promise.race([exited.then(() => undefined), spawnFailure]);
  const forceKilled = termination ? (await termination).forceKilled : false;
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
    status: runStatus({ reason, exitCode, signal, spawnError: spawnError !== undefined }),
    reason: reason ?? null,
    exitCode,
    signal,
    forceKilled,
    stragglersKilled: left.killed.length,
    peakRssBytes: peak?.rssBytes ?? null,
    peakPidCount: peak?.pidCount ?? null,
    sampleCount: samples,
    warnedAtMs,
    emergencyAtMs,
    terminatedAtMs,
    error: spawnError
      ? startFailure(spawnError, options.runner)
      : violation ?? (exitCode === EXEC_FAILED_EXIT_CODE && !result ? execFailure(options.runner) : null),
    result: result ?? null,
  };
}
