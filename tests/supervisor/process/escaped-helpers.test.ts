// A runner's helper that leaves the runner's process group (setsid) and its parent chain (re-parented to init) is
// still the run's: counted in the tree RSS, stopped with the run, and gone when the run is recorded.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { SupervisorConfig } from '../../../supervisor/config/types.ts';
import type { TreeSample } from '../../../supervisor/memory/memory-watch.ts';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { runChild } from '../../../supervisor/run/run-child.ts';
import { fixtureConfig, MB, superviseOnce } from '../../helpers/harness.ts';
import { goneWithin } from '../../helpers/spawn-supervisor.ts';

const memory = { warnMb: 90, emergencyMb: 150, graceMs: 1000 };

/**
 * Where the fixture writes its helper's pid. Whatever the test's outcome, the helper is SIGKILLed afterwards if it is
 * still there, before the folder goes (so this folder is not tempDir's, which may be removed first).
 */
async function helperPidFile(t: TestContext): Promise<{ path: string; pid: () => Promise<number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'escaped-helper-'));
  const path = join(dir, 'helper.pid');
  const pid = async (): Promise<number> => Number(await readFile(path, 'utf8').catch(() => '0'));
  t.after(async () => {
    const helper = await pid();
    if (helper > 0 && isAlive(helper)) process.kill(helper, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  return { path, pid };
}

/** One run through runChild itself, so the test sees every sample and line as it happens. */
async function runWatched(t: TestContext, config: SupervisorConfig, on: { sample?(s: TreeSample): void; line?(l: string): void }) {
  const stop = new AbortController();
  t.after(() => stop.abort()); // a test that fails half-way still stops the runner through the grace path
  let leftBehind: readonly number[] = [];
  const report = await runChild({
    runner: config.runner, env: {}, memory: config.memory, timeoutMs: config.run.timeoutMs, maxLineBytes: 4096,
    now: Date.now, stop: stop.signal, escalate: new AbortController().signal,
    events: {
      spawned: () => undefined, warned: () => undefined, terminating: () => undefined, progress: () => undefined, invalidMessage: () => undefined,
      sample: (s) => on.sample?.(s),
      line: (_stream, l) => on.line?.(l),
      leftBehind: (killed) => (leftBehind = killed),
    },
  });
  return { report, leftBehind };
}

test('a helper seen once in the tree, then re-parented to init with a bare environment, is still counted and killed', { timeout: 60_000 }, async (t) => {
  const pidFile = await helperPidFile(t);
  // Without a memory of the helper nothing would stop it: the run would end by its timeout, the helper still leaking.
  const config = await fixtureConfig('escape-helper.mjs', [pidFile.path, '200', 'hang', 'orphan-later'], { memory, run: { timeoutMs: 15_000 } });
  let middle = 0;
  let told = false;
  const { report } = await runWatched(t, config, {
    line: (l) => (middle ||= Number(/MIDDLE pid=(\d+)/.exec(l)?.[1] ?? 0)),
    // The handshake: once a sample has seen runner, intermediate and helper, the intermediate exits; only then
    // does the helper (now re-parented, outside the group, without the run mark) start to leak.
    sample: (s) => {
      if (s.pidCount < 3 || middle === 0 || told) return;
      told = true;
      process.kill(middle, 'SIGUSR2');
    },
  });
  assert.deepEqual([report.status, report.reason], ['killed', 'memory']);
  assert.ok(report.peakRssBytes! >= 150 * MB, `peak ${report.peakRssBytes! / MB} MB`);
  assert.equal(await goneWithin(await pidFile.pid(), 2000, isAlive), true, 'the helper outlived the kill');
});

test('a daemonised helper, re-parented to init before any sample, is found by the run mark and killed', { timeout: 60_000 }, async (t) => {
  const pidFile = await helperPidFile(t);
  // Without the mark nothing would stop the helper: the run would end by its timeout, with the helper still leaking.
  const config = await fixtureConfig('escape-helper.mjs', [pidFile.path, '200', 'hang', 'daemon'], { memory, restart: { maxAttempts: 1 }, run: { timeoutMs: 15_000 } });
  const { runs } = await superviseOnce(config);
  assert.deepEqual([runs[0]?.status, runs[0]?.reason], ['killed', 'memory']);
  assert.ok(runs[0]!.peak_rss_bytes! >= 150 * MB, `peak ${runs[0]!.peak_rss_bytes! / MB} MB`);
  assert.equal(await goneWithin(await pidFile.pid(), 2000, isAlive), true, 'the helper outlived the kill');
});

test('a runner that exits 0 right after starting a setsid helper: ok, and the helper is reaped', { timeout: 60_000 }, async (t) => {
  const pidFile = await helperPidFile(t);
  const config = await fixtureConfig('escape-helper.mjs', [pidFile.path, '1', 'exit', 'setsid'], { restart: { maxAttempts: 1 } });
  const { runs, lines } = await superviseOnce(config);
  assert.equal(runs[0]?.status, 'ok');
  // The reaped helper is its own fact: an ok run never "outlived the grace period".
  assert.deepEqual([runs[0]?.force_killed, runs[0]?.stragglers_killed], [0, 1]);
  const helper = await pidFile.pid();
  assert.equal(await goneWithin(helper, 2000, isAlive), true, 'the helper outlived the run');
  assert.ok(lines.some((l) => l.includes(`SIGKILLed 1 process(es) the runner left behind: pids ${helper}`)), lines.join('\n'));
  assert.ok(lines.some((l) => /ok in \d+ ms, exit 0, .*1 straggler\(s\) SIGKILLed after it/.test(l) && !l.includes('force-killed')), lines.join('\n'));
});

test('a helper with a bare environment, seen once in the tree, is reaped after the runner exits 0', { timeout: 60_000 }, async (t) => {
  const pidFile = await helperPidFile(t);
  const config = await fixtureConfig('escape-helper.mjs', [pidFile.path, '1', 'usr2', 'scrubbed']);
  let runner = 0;
  let told = false;
  const { report, leftBehind } = await runWatched(t, config, {
    line: (l) => (runner ||= Number(/RUNNER pid=(\d+)/.exec(l)?.[1] ?? 0)),
    // The handshake: once a sample has seen the helper in the tree, the runner is told to exit (once).
    sample: (s) => {
      if (s.pidCount < 2 || runner === 0 || told) return;
      told = true;
      process.kill(runner, 'SIGUSR2');
    },
  });
  assert.equal(report.status, 'ok');
  const helper = await pidFile.pid();
  assert.deepEqual(leftBehind, [helper]);
  assert.equal(await goneWithin(helper, 2000, isAlive), true, 'the helper outlived the run');
});
