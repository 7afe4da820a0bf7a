// Pure: one run as an explicit state machine. `step(state, event)` returns the next state and the actions a thin
// shell (run-child.ts) carries out; no timers, no I/O, no process here, so every transition is tested with fixed times.
import { decide, type MemoryLimits } from '../memory/decide.ts';
import type { TreeSample } from '../memory/memory-watch.ts';
import type { TerminationReason } from '../vocabulary/termination.ts';
import type { RunLimits } from '../vocabulary/run-limits.ts';

/** `running` → `stopping` (SIGTERM sent, grace running) → `killing` (SIGKILL sent) → `exited`; a kill may skip `stopping`. */
export type RunPhase = 'running' | 'stopping' | 'killing' | 'exited';

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

/** The lines a run is held to, and the grace period between SIGTERM and SIGKILL. */
/** What the machine holds a run to: the memory lines and the grace period (vocabulary/run-limits.ts). */
export type MachineLimits = MemoryLimits & Pick<RunLimits, 'graceMs'>;

export interface RunState {
  readonly phase: RunPhase;
  readonly limits: MachineLimits;
  /** Why the supervisor stopped the run: the first reason set wins (execa's model), whatever comes after. */
  readonly reason: TerminationReason | null;
  /** The first sample of the current stretch at or over emergencyMb (decide's memory between samples). */
  readonly overSinceMs: number | null;
  readonly warnedAtMs: number | null;
  /**
   * The run's first crossing of emergencyMb: recorded even when `sustainMs` tolerated it and the tree dipped back,
   * and kept when a shutdown or a timeout stopped the run first.
   */
  readonly emergencyAtMs: number | null;
  readonly terminatedAtMs: number | null;
  readonly peak: TreeSample | null;
  readonly sampleCount: number;
}

export type RunEvent =
  | { readonly type: 'sample'; readonly sample: TreeSample }
  | { readonly type: 'timeout'; readonly atMs: number }
  /** The supervisor is shutting down (first SIGTERM/SIGINT). */
  | { readonly type: 'shutdown'; readonly atMs: number }
  /** A second shutdown signal: no more grace. */
  | { readonly type: 'secondShutdown'; readonly atMs: number }
  /** The runner broke the channel's rules (a message over its cap): stopped like a timeout, reason `protocol`. */
  | { readonly type: 'protocol'; readonly atMs: number }
  /** `graceMs` has passed since SIGTERM reached the tree. */
  | { readonly type: 'graceEnded'; readonly atMs: number }
  /** The child itself exited (its awaited `exit` event). */
  | { readonly type: 'exit' };

export type RunAction =
  /** Store and publish the sample (always first for a sample). */
  | { readonly type: 'record'; readonly sample: TreeSample }
  /** The run's one warning. */
  | { readonly type: 'warn'; readonly sample: TreeSample }
  /** A stretch at or over emergencyMb began and `sustainMs` is running. */
  | { readonly type: 'tolerate'; readonly sample: TreeSample; readonly limitMb: number; readonly sustainMs: number }
  /** SIGTERM to the tree; once it is sent, feed `graceEnded` after `graceMs`. */
  | { readonly type: 'terminate'; readonly reason: TerminationReason; readonly graceMs: number }
  /** SIGKILL to the tree as the next signal: the first one above the hard limit or on a second shutdown signal. */
  | { readonly type: 'killNow' }
  /** Tell the listeners (log line, alert) of the run's one stop, after its signal is on its way. */
  | { readonly type: 'announce'; readonly stop: Termination };

export interface Step {
  readonly state: RunState;
  readonly actions: readonly RunAction[];
}

export function initialRunState(limits: MachineLimits): RunState {
  return { phase: 'running', limits, reason: null, overSinceMs: null, warnedAtMs: null, emergencyAtMs: null, terminatedAtMs: null, peak: null, sampleCount: 0 };
}

type Handler<E> = (state: RunState, event: E) => Step;
type Handlers = { readonly [T in RunEvent['type']]?: Handler<Extract<RunEvent, { type: T }>> | 'ignore' };

const stay = (state: RunState): Step => ({ state, actions: [] });
const exit = (state: RunState): Step => stay({ ...state, phase: 'exited' });
const killNow = (state: RunState): Step => ({ state: { ...state, phase: 'killing' }, actions: [{ type: 'killNow' }] });

/**
 * A stop: the first one sets the reason, the stop time and the first signal (SIGKILL if `immediate`, else SIGTERM).
 * While SIGTERM's grace runs only an immediate stop changes anything: SIGKILL now, the first reason kept. A memory
 * stop's crossing is a fact of its own, kept whichever stop came first.
 */
function stopFor(state: RunState, stop: Termination, immediate: boolean): Step {
  const crossed = stop.reason === 'memory' ? { emergencyAtMs: state.emergencyAtMs ?? stop.crossedAtMs } : {};
  const next: RunState = { ...state, ...crossed, reason: state.reason ?? stop.reason };
  if (state.phase === 'stopping') return immediate ? killNow(next) : stay(next);
  if (state.phase !== 'running') return stay(next);
  const stopped: RunState = { ...next, terminatedAtMs: stop.atMs };
  const signal: RunAction = immediate ? { type: 'killNow' } : { type: 'terminate', reason: stop.reason, graceMs: state.limits.graceMs };
  return { state: { ...stopped, phase: immediate ? 'killing' : 'stopping' }, actions: [signal, { type: 'announce', stop }] };
}

/** Every sample is recorded; while the child lives, decide's verdict may warn, tolerate or stop the run. */
function onSample(state: RunState, { sample }: { sample: TreeSample }): Step {
  const peak = !state.peak || sample.rssBytes > state.peak.rssBytes ? sample : state.peak;
  const counted: RunState = { ...state, peak, sampleCount: state.sampleCount + 1 };
  const actions: RunAction[] = [{ type: 'record', sample }];
  // After the exit the tree's stragglers are still sampled until they are reaped; no verdict acts on them.
  if (state.phase === 'exited') return { state: counted, actions };
  const decision = decide(sample.rssBytes, state.limits, state.overSinceMs, sample.atMs);
  const { verdict, limitMb, overSinceMs } = decision;
  const newStretch = state.overSinceMs === null && overSinceMs !== null;
  let next: RunState = { ...counted, overSinceMs, emergencyAtMs: newStretch ? (counted.emergencyAtMs ?? sample.atMs) : counted.emergencyAtMs };
  if (verdict !== 'ok' && next.warnedAtMs === null) {
    next = { ...next, warnedAtMs: sample.atMs };
    actions.push({ type: 'warn', sample });
  }
  if (verdict === 'tolerate' && newStretch && limitMb !== null) {
    actions.push({ type: 'tolerate', sample, limitMb, sustainMs: state.limits.sustainMs });
  }
  if ((verdict === 'terminate' || verdict === 'kill') && limitMb !== null && overSinceMs !== null) {
    const stop: Termination = { reason: 'memory', verdict, limitMb, sample, crossedAtMs: overSinceMs, atMs: sample.atMs };
    const stopped = stopFor(next, stop, verdict === 'kill');
    return { state: stopped.state, actions: [...actions, ...stopped.actions] };
  }
  return { state: next, actions };
}

const timeout: Handler<{ atMs: number }> = (s, e) => stopFor(s, { reason: 'timeout', atMs: e.atMs }, false);
const protocol: Handler<{ atMs: number }> = (s, e) => stopFor(s, { reason: 'protocol', atMs: e.atMs }, false);
const shutdown: Handler<{ atMs: number }> = (s, e) => stopFor(s, { reason: 'shutdown', atMs: e.atMs }, false);
const secondShutdown: Handler<{ atMs: number }> = (s, e) => stopFor(s, { reason: 'shutdown', atMs: e.atMs }, true);

/**
 * The table. `ignore`: a late event (a timer, a signal or a stop that something earlier made moot), state unchanged,
 * no action. A missing cell is an event that cannot happen in that phase (the grace period ending before any stop):
 * a bug in the shell, so `step` throws rather than guess.
 */
const TRANSITIONS: Readonly<Record<RunPhase, Handlers>> = {
  running: { sample: onSample, timeout, protocol, shutdown, secondShutdown, exit },
  stopping: { sample: onSample, timeout: 'ignore', protocol: 'ignore', shutdown: 'ignore', secondShutdown, graceEnded: killNow, exit },
  killing: { sample: onSample, timeout: 'ignore', protocol: 'ignore', shutdown: 'ignore', secondShutdown: 'ignore', graceEnded: 'ignore', exit },
  exited: { sample: onSample, timeout: 'ignore', protocol: 'ignore', shutdown: 'ignore', secondShutdown: 'ignore', graceEnded: 'ignore', exit: 'ignore' },
};

export function step(state: RunState, event: RunEvent): Step {
  const handler = TRANSITIONS[state.phase][event.type] as Handler<RunEvent> | 'ignore' | undefined;
  if (handler === undefined) throw new Error(`run state machine: a '${event.type}' event cannot happen while the run is ${state.phase}`);
  return handler === 'ignore' ? stay(state) : handler(state, event);
}
