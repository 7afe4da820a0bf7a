// The run's state machine, one row per transition: a phase (and what the run has seen so far), one event, the phase
// and actions that follow. Fixed timestamps, no process, no timer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TreeSample } from '../../../supervisor/memory/memory-watch.ts';
import { initialRunState, step, type RunAction, type RunEvent, type RunPhase, type RunState } from '../../../supervisor/run/run-machine.ts';
import { BYTES_PER_MB as MB } from '../../../shared/units.ts';

const limits = { warnMb: 60, emergencyMb: 100, hardLimitMb: 150, sustainMs: 0, graceMs: 500 };
const sustained = { ...limits, sustainMs: 1000 };
const sample = (atMs: number, mb: number, pidCount = 1): TreeSample => ({ atMs, rssBytes: mb * MB, pidCount });

const running = initialRunState(limits);
const warned: RunState = { ...running, warnedAtMs: 10 };
/** Stopping after a SIGTERM, for each reason; a memory stop crossed at 100. */
const stoppingFor = (reason: 'memory' | 'timeout' | 'shutdown'): RunState => ({
  ...warned, phase: 'stopping', reason, terminatedAtMs: 100, ...(reason === 'memory' ? { emergencyAtMs: 100, overSinceMs: 100 } : {}),
});
const killing: RunState = { ...stoppingFor('memory'), phase: 'killing' };
const exited: RunState = { ...stoppingFor('timeout'), phase: 'exited' };

interface Row {
  readonly name: string;
  readonly from: RunState;
  readonly event: RunEvent;
  readonly phase: RunPhase;
  readonly actions: readonly RunAction[];
  /** State fields the step must leave so (others as they were, counters aside). */
  readonly state?: Partial<RunState>;
}

const over = sample(200, 120);
const memoryStop = (verdict: 'terminate' | 'kill', s: TreeSample, limitMb: number, crossedAtMs = s.atMs) =>
  ({ type: 'announce', stop: { reason: 'memory', verdict, limitMb, sample: s, crossedAtMs, atMs: s.atMs } }) as const;

const rows: readonly Row[] = [
  // running
  { name: 'running: a sample below warnMb is only recorded', from: running, event: { type: 'sample', sample: sample(200, 50) }, phase: 'running', actions: [{ type: 'record', sample: sample(200, 50) }] },
  { name: 'running: the first sample at warnMb warns', from: running, event: { type: 'sample', sample: sample(200, 60) }, phase: 'running', actions: [{ type: 'record', sample: sample(200, 60) }, { type: 'warn', sample: sample(200, 60) }], state: { warnedAtMs: 200 } },
  { name: 'running: a run warns once', from: warned, event: { type: 'sample', sample: sample(200, 90) }, phase: 'running', actions: [{ type: 'record', sample: sample(200, 90) }], state: { warnedAtMs: 10 } },
  { name: 'running: a crossing under sustainMs is tolerated, and said so once', from: { ...warned, limits: sustained }, event: { type: 'sample', sample: over }, phase: 'running', actions: [{ type: 'record', sample: over }, { type: 'tolerate', sample: over, limitMb: 100, sustainMs: 1000 }], state: { overSinceMs: 200, reason: null, emergencyAtMs: 200 } },
  { name: 'running: a stretch still under sustainMs goes on quietly', from: { ...warned, limits: sustained, overSinceMs: 200 }, event: { type: 'sample', sample: sample(1199, 120) }, phase: 'running', actions: [{ type: 'record', sample: sample(1199, 120) }], state: { overSinceMs: 200 } },
  { name: 'running: a dip below the line ends the stretch', from: { ...warned, limits: sustained, overSinceMs: 200 }, event: { type: 'sample', sample: sample(300, 99) }, phase: 'running', actions: [{ type: 'record', sample: sample(300, 99) }], state: { overSinceMs: null } },
  {
    name: 'running: a stretch held sustainMs terminates, the crossing kept', from: { ...warned, limits: sustained, overSinceMs: 200 }, event: { type: 'sample', sample: sample(1200, 120) }, phase: 'stopping',
    actions: [{ type: 'record', sample: sample(1200, 120) }, { type: 'terminate', reason: 'memory', graceMs: 500 }, memoryStop('terminate', sample(1200, 120), 100, 200)],
    state: { reason: 'memory', emergencyAtMs: 200, terminatedAtMs: 1200 },
  },
  {
    name: 'running: with sustainMs 0 the first sample at emergencyMb warns and terminates', from: running, event: { type: 'sample', sample: over }, phase: 'stopping',
    actions: [{ type: 'record', sample: over }, { type: 'warn', sample: over }, { type: 'terminate', reason: 'memory', graceMs: 500 }, memoryStop('terminate', over, 100)],
    state: { reason: 'memory', warnedAtMs: 200, emergencyAtMs: 200, terminatedAtMs: 200 },
  },
  {
    name: 'running: above hardLimitMb the first signal is SIGKILL, whatever sustainMs', from: { ...warned, limits: sustained }, event: { type: 'sample', sample: sample(200, 151) }, phase: 'killing',
    actions: [{ type: 'record', sample: sample(200, 151) }, { type: 'killNow' }, memoryStop('kill', sample(200, 151), 150)],
    state: { reason: 'memory', emergencyAtMs: 200, terminatedAtMs: 200 },
  },
  { name: 'running: exactly hardLimitMb is not over it', from: warned, event: { type: 'sample', sample: sample(200, 150) }, phase: 'stopping', actions: [{ type: 'record', sample: sample(200, 150) }, { type: 'terminate', reason: 'memory', graceMs: 500 }, memoryStop('terminate', sample(200, 150), 100)] },
  { name: 'running: the timeout terminates', from: running, event: { type: 'timeout', atMs: 900 }, phase: 'stopping', actions: [{ type: 'terminate', reason: 'timeout', graceMs: 500 }, { type: 'announce', stop: { reason: 'timeout', atMs: 900 } }], state: { reason: 'timeout', terminatedAtMs: 900 } },
  { name: 'running: a protocol violation terminates', from: running, event: { type: 'protocol', atMs: 900 }, phase: 'stopping', actions: [{ type: 'terminate', reason: 'protocol', graceMs: 500 }, { type: 'announce', stop: { reason: 'protocol', atMs: 900 } }], state: { reason: 'protocol', terminatedAtMs: 900 } },
  { name: 'running: a shutdown terminates', from: running, event: { type: 'shutdown', atMs: 900 }, phase: 'stopping', actions: [{ type: 'terminate', reason: 'shutdown', graceMs: 500 }, { type: 'announce', stop: { reason: 'shutdown', atMs: 900 } }], state: { reason: 'shutdown', terminatedAtMs: 900 } },
  { name: 'running: a second shutdown signal first kills', from: running, event: { type: 'secondShutdown', atMs: 900 }, phase: 'killing', actions: [{ type: 'killNow' }, { type: 'announce', stop: { reason: 'shutdown', atMs: 900 } }], state: { reason: 'shutdown', terminatedAtMs: 900 } },
  { name: 'running: the child exits on its own', from: warned, event: { type: 'exit' }, phase: 'exited', actions: [], state: { reason: null, terminatedAtMs: null } },
  // stopping: SIGTERM sent, grace running
  { name: 'stopping: a sample is recorded', from: stoppingFor('shutdown'), event: { type: 'sample', sample: sample(300, 90) }, phase: 'stopping', actions: [{ type: 'record', sample: sample(300, 90) }] },
  { name: 'stopping: a crossing while stopped for shutdown is kept, the reason is not', from: stoppingFor('shutdown'), event: { type: 'sample', sample: sample(300, 120) }, phase: 'stopping', actions: [{ type: 'record', sample: sample(300, 120) }], state: { reason: 'shutdown', emergencyAtMs: 300, terminatedAtMs: 100 } },
  { name: 'stopping: above hardLimitMb the grace is cut short, the first reason kept', from: stoppingFor('timeout'), event: { type: 'sample', sample: sample(300, 200) }, phase: 'killing', actions: [{ type: 'record', sample: sample(300, 200) }, { type: 'killNow' }], state: { reason: 'timeout', emergencyAtMs: 300, terminatedAtMs: 100 } },
  { name: 'stopping: the grace period ends: SIGKILL', from: stoppingFor('memory'), event: { type: 'graceEnded', atMs: 600 }, phase: 'killing', actions: [{ type: 'killNow' }], state: { reason: 'memory' } },
  { name: 'stopping: a second shutdown signal kills now', from: stoppingFor('memory'), event: { type: 'secondShutdown', atMs: 300 }, phase: 'killing', actions: [{ type: 'killNow' }], state: { reason: 'memory', terminatedAtMs: 100 } },
  { name: 'stopping: a timeout after a stop changes nothing (first reason wins)', from: stoppingFor('memory'), event: { type: 'timeout', atMs: 300 }, phase: 'stopping', actions: [], state: { reason: 'memory' } },
  { name: 'stopping: a protocol violation after a stop changes nothing (first reason wins)', from: stoppingFor('memory'), event: { type: 'protocol', atMs: 300 }, phase: 'stopping', actions: [], state: { reason: 'memory' } },
  { name: 'stopping: a shutdown after a stop changes nothing (first reason wins)', from: stoppingFor('timeout'), event: { type: 'shutdown', atMs: 300 }, phase: 'stopping', actions: [], state: { reason: 'timeout' } },
  { name: 'stopping: the child exits within the grace period', from: stoppingFor('memory'), event: { type: 'exit' }, phase: 'exited', actions: [] },
  // killing: SIGKILL sent
  { name: 'killing: a sample is recorded, nothing more is sent', from: killing, event: { type: 'sample', sample: sample(300, 200) }, phase: 'killing', actions: [{ type: 'record', sample: sample(300, 200) }], state: { emergencyAtMs: 100 } },
  { name: 'killing: a late grace timer is ignored', from: killing, event: { type: 'graceEnded', atMs: 600 }, phase: 'killing', actions: [] },
  { name: 'killing: a timeout is ignored', from: killing, event: { type: 'timeout', atMs: 600 }, phase: 'killing', actions: [] },
  { name: 'killing: a protocol violation is ignored', from: killing, event: { type: 'protocol', atMs: 600 }, phase: 'killing', actions: [] },
  { name: 'killing: a shutdown is ignored', from: killing, event: { type: 'shutdown', atMs: 600 }, phase: 'killing', actions: [] },
  { name: 'killing: a second shutdown signal is ignored', from: killing, event: { type: 'secondShutdown', atMs: 600 }, phase: 'killing', actions: [] },
  { name: 'killing: the child exits', from: killing, event: { type: 'exit' }, phase: 'exited', actions: [] },
  // exited: the stragglers are still sampled until reaped; nothing acts
  { name: 'exited: a straggler sample is recorded, no verdict acts on it', from: { ...running, phase: 'exited' }, event: { type: 'sample', sample: sample(300, 200) }, phase: 'exited', actions: [{ type: 'record', sample: sample(300, 200) }], state: { warnedAtMs: null, reason: null, emergencyAtMs: null } },
  { name: 'exited: a late timeout is ignored', from: exited, event: { type: 'timeout', atMs: 900 }, phase: 'exited', actions: [] },
  { name: 'exited: a late protocol violation is ignored', from: exited, event: { type: 'protocol', atMs: 900 }, phase: 'exited', actions: [] },
  { name: 'exited: a late shutdown is ignored', from: exited, event: { type: 'shutdown', atMs: 900 }, phase: 'exited', actions: [] },
  { name: 'exited: a late second shutdown signal is ignored', from: exited, event: { type: 'secondShutdown', atMs: 900 }, phase: 'exited', actions: [] },
  { name: 'exited: a late grace timer is ignored', from: exited, event: { type: 'graceEnded', atMs: 900 }, phase: 'exited', actions: [] },
  { name: 'exited: a second exit is ignored', from: exited, event: { type: 'exit' }, phase: 'exited', actions: [] },
];

for (const row of rows) {
  test(row.name, () => {
    const { state, actions } = step(row.from, row.event);
    assert.equal(state.phase, row.phase);
    assert.deepEqual(actions, row.actions);
    for (const [key, value] of Object.entries(row.state ?? {})) assert.deepEqual(state[key as keyof RunState], value, key);
    if (row.event.type === 'sample') assert.equal(state.sampleCount, row.from.sampleCount + 1, 'every sample is counted');
    else if (actions.length === 0) assert.deepEqual(state, { ...row.from, phase: row.phase }, 'an ignored event changes nothing');
  });
}

test('every phase × event pair is covered by a row, except the one that cannot happen', () => {
  const phases: RunPhase[] = ['running', 'stopping', 'killing', 'exited'];
  const events: RunEvent['type'][] = ['sample', 'timeout', 'protocol', 'shutdown', 'secondShutdown', 'graceEnded', 'exit'];
  const covered = new Set(rows.map((r) => `${r.from.phase} ${r.event.type}`));
  const missing = phases.flatMap((p) => events.map((e) => `${p} ${e}`)).filter((pair) => !covered.has(pair));
  assert.deepEqual(missing, ['running graceEnded']);
});

test('an event that cannot happen (the grace period ending before any stop) throws: a bug in the shell', () => {
  assert.throws(() => step(running, { type: 'graceEnded', atMs: 1 }), /'graceEnded' event cannot happen while the run is running/);
});

test('the peak is the largest sample, and the caller\'s state is never changed', () => {
  const first = step(running, { type: 'sample', sample: sample(100, 40, 2) }).state;
  const second = step(first, { type: 'sample', sample: sample(200, 30, 3) }).state;
  assert.deepEqual([second.peak, second.sampleCount], [sample(100, 40, 2), 2]);
  assert.deepEqual([running.peak, running.sampleCount, first.sampleCount], [null, 0, 1]);
});

test('a whole run: warn, tolerate, terminate, a late hard limit, then the exit; one reason and one announcement', () => {
  const events: RunEvent[] = [
    { type: 'sample', sample: sample(0, 50) }, { type: 'sample', sample: sample(100, 70) }, { type: 'sample', sample: sample(200, 110) },
    { type: 'sample', sample: sample(1200, 130) }, { type: 'timeout', atMs: 1250 }, { type: 'sample', sample: sample(1300, 160) },
    { type: 'graceEnded', atMs: 1700 }, { type: 'exit' }, { type: 'sample', sample: sample(1800, 5) },
  ];
  let state = initialRunState(sustained);
  const seen: string[] = [];
  for (const event of events) {
    const next = step(state, event);
    state = next.state;
    seen.push(...next.actions.filter((a) => a.type !== 'record').map((a) => (a.type === 'announce' ? `announce ${a.stop.reason}` : a.type)));
  }
  assert.deepEqual(seen, ['warn', 'tolerate', 'terminate', 'announce memory', 'killNow']);
  assert.equal(state.phase, 'exited');
  assert.deepEqual([state.reason, state.warnedAtMs, state.emergencyAtMs, state.terminatedAtMs, state.sampleCount, state.peak?.atMs], ['memory', 100, 200, 1200, 6, 1300]);
});
