// runChild with an injected spawn: a stand-in child (an EventEmitter with a pid that no process can have) where the
// real process isn't the point: how the shell turns the child's exit, its IPC result, a spawn error and the
// supervisor's shutdown signals into a report. The signals themselves go to no process (the pid is past pid_max).
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { SpawnRunner } from '../../../supervisor/run/runner-spawn.ts';
import { fixtureConfig } from '../../helpers/harness.ts';
import { runWatched } from '../../helpers/run-child.ts';

/** Above the largest pid_max Linux allows (2^22), so no real process is ever looked at or signalled. */
const NO_SUCH_PID = 4_194_304 + 1;

type Outcome = { exitCode?: number; signal?: string };

/** A child that exits (or fails to start) when told to; awaiting it gives its outcome, as execa's subprocess does. */
class FakeChild extends EventEmitter {
  readonly stdout = null;
  readonly stderr = null;
  /** The runner's end of the channel on fd 3: what the test writes here, the shell reads as the runner's messages. */
  readonly channel = new PassThrough();
  readonly stdio = [null, null, null, this.channel];
  private finish: (outcome: Outcome) => void = () => undefined;
  private readonly outcome = new Promise<Outcome>((resolve) => (this.finish = resolve));
  constructor(readonly pid: number | undefined) {
    super();
  }
  exit(code: number | null, signal: string | null): void {
    this.emit('exit', code, signal);
    this.finish({ ...(code === null ? {} : { exitCode: code }), ...(signal === null ? {} : { signal }) });
  }
  /** As a spawn that fails: `error`, no `exit`, and an outcome without a code. */
  fail(error: Error): void {
    this.emit('error', error);
    this.finish({});
  }
  then<A = Outcome, B = never>(onFulfilled?: ((o: Outcome) => A | PromiseLike<A>) | null, onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.outcome.then(onFulfilled, onRejected);
  }
}

function fakeSpawn(child: FakeChild): { spawn: SpawnRunner; argv: () => readonly string[] } {
  let argv: readonly string[] = [];
  return {
    spawn: (command, args) => {
      argv = [command, ...args];
      return child;
    },
    argv: () => argv,
  };
}

const RESULT = { type: 'result', durationMs: 1, sources: [] };
const config = await fixtureConfig('ok-runner.mjs', ['unused'], { run: { timeoutMs: 60_000 } });

test('a child that sends its result and exits 0 is ok; the runner command reached the spawn', async () => {
  const child = new FakeChild(NO_SUCH_PID);
  const { spawn, argv } = fakeSpawn(child);
  setImmediate(() => {
    child.channel.write(`${JSON.stringify(RESULT)}\n`);
    child.exit(0, null);
  });
  const { report, events } = await runWatched(config, { spawn });
  assert.deepEqual(argv(), [config.runner.command, ...config.runner.args]);
  assert.deepEqual([report.status, report.exitCode, report.signal, report.reason, report.forceKilled, report.error], ['ok', 0, null, null, false, null]);
  assert.deepEqual(report.result, RESULT);
  assert.deepEqual(events, ['spawned']);
});

test('a spawn error (no pid) is a failed run that names the command and never signals or times out', async () => {
  const child = new FakeChild(undefined);
  setImmediate(() => child.fail(Object.assign(new Error('spawn /nonexistent ENOENT'), { code: 'ENOENT' })));
  const { report, events } = await runWatched(config, { spawn: fakeSpawn(child).spawn, timeoutMs: 1 });
  assert.equal(report.status, 'failed');
  assert.match(report.error ?? '', /ENOENT/);
  assert.deepEqual([report.reason, report.terminatedAtMs, events], [null, null, []]);
});

test('a shutdown stops the run once, announced with its time; a second signal after it keeps the first reason', async () => {
  const child = new FakeChild(NO_SUCH_PID);
  const stop = new AbortController();
  const escalate = new AbortController();
  let clock = 1000;
  setImmediate(() => {
    stop.abort();
    clock = 2000;
    escalate.abort();
    child.exit(null, 'SIGKILL');
  });
  const { report, stops } = await runWatched(config, { spawn: fakeSpawn(child).spawn, stop: stop.signal, escalate: escalate.signal, now: () => clock });
  assert.deepEqual(stops, [{ reason: 'shutdown', atMs: 1000 }]);
  assert.deepEqual([report.status, report.reason, report.terminatedAtMs, report.signal], ['interrupted', 'shutdown', 1000, 'SIGKILL']);
  // The SIGKILL reached no process (there is none with this pid): not a force kill.
  assert.equal(report.forceKilled, false);
});

test('run.timeoutMs stops the run with reason timeout, through the same machine', async () => {
  const child = new FakeChild(NO_SUCH_PID);
  const { report, stops } = await runWatched(config, {
    spawn: fakeSpawn(child).spawn,
    timeoutMs: 5,
    now: () => 42,
    onStop: () => child.exit(null, 'SIGTERM'),
  });
  assert.deepEqual(stops, [{ reason: 'timeout', atMs: 42 }]);
  assert.deepEqual([report.status, report.reason, report.terminatedAtMs, report.forceKilled], ['timeout', 'timeout', 42, false]);
});
