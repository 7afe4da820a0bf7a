import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAlive } from '../../../supervisor/process/process-identity.ts';
import { fixtureConfig, MB, superviseOnce } from '../../helpers/harness.ts';
import { SCHEDULING_ALLOWANCE_MS } from '../../helpers/run-child.ts';

const memory = (emergencyMb: number, extra: Record<string, number> = {}) => ({ warnMb: emergencyMb * 0.6, emergencyMb, graceMs: 1000, ...extra });

test('a leaking child is killed just past emergencyMb, with its row, peak and samples recorded', async () => {
  const config = await fixtureConfig('leak.mjs', ['100'], { memory: memory(150), restart: { maxAttempts: 1 } });
  const { outcome, runs, samples, alerts, lines } = await superviseOnce(config);
  assert.equal(outcome.status, 'killed');
  const [run] = runs;
  assert.ok(run);
  assert.equal(run.status, 'killed');
  assert.equal(run.reason, 'memory');
  assert.ok(run.peak_rss_bytes !== null && run.peak_rss_bytes >= 150 * MB, `peak ${run.peak_rss_bytes}`);
  // The peak is the sample that crossed: at 100 MB/s and 100 ms sampling about 10 MB past; 100 MB allows a 1 s stall.
  assert.ok(run.peak_rss_bytes < 150 * MB + 100 * MB, `overshoot too large: ${run.peak_rss_bytes! / MB} MB`);
  const runSamples = samples.filter((s) => s.run_id === run.id);
  assert.equal(runSamples.length, run.sample_count);
  assert.ok(run.sample_count >= 3);
  assert.ok(run.warned_at_ms !== null && run.emergency_at_ms !== null && run.warned_at_ms <= run.emergency_at_ms);
  assert.deepEqual(alerts.map((a) => a.kind), ['supervisor-start', 'memory-warn', 'memory-emergency', 'attempts-exhausted']);
  assert.ok(lines.some((l) => /runner killed: tree RSS [\d.]+ MB exceeded emergency limit 150 MB \(1 process\); run 1; see `\S+ \S+dist\/supervisor\/main\.js history run 1 --(config|data-dir) \S+`/.test(l)), lines.join('\n'));
  assert.equal(isAlive(run.pid!), false);
});

test('a leaking grandchild is caught through the tree and is gone afterwards', async () => {
  const config = await fixtureConfig('leak-grandchild.mjs', ['100'], { memory: memory(150), restart: { maxAttempts: 1 } });
  const { runs, lines } = await superviseOnce(config);
  const [run] = runs;
  assert.equal(run?.status, 'killed');
  assert.equal(run?.peak_pid_count, 2);
  const grandchild = Number(/grandchild=(\d+)/.exec(lines.join('\n'))?.[1]);
  assert.ok(grandchild > 0, 'the fixture reported its grandchild pid');
  assert.equal(isAlive(grandchild), false);
  assert.equal(isAlive(run!.pid!), false);
});

test('a child that ignores SIGTERM is SIGKILLed after the grace period, with force_killed = 1', async () => {
  // A grace period longer than the allowance: one counted twice (3 s) ends past the bound below.
  const config = await fixtureConfig('ignore-sigterm.mjs', [], { memory: memory(120, { graceMs: 1500, hardLimitMb: 4000 }), restart: { maxAttempts: 1 } });
  const { runs, lines } = await superviseOnce(config);
  const [run] = runs;
  assert.equal(run?.status, 'killed');
  assert.equal(run?.force_killed, 1);
  assert.equal(run?.signal, 'SIGKILL');
  assert.ok(lines.some((l) => l.includes('SIGTERM ignored')));
  // SIGTERM went at the sample that crossed emergencyMb (terminated_at_ms); SIGKILL follows graceMs after it, no sooner
  // and not much later: the crossing itself lies at most one sampling period before that sample.
  const sigtermToEnd = run!.ended_at_ms! - run!.terminated_at_ms!;
  assert.equal(run!.terminated_at_ms, run!.emergency_at_ms, 'SIGTERM went at the sample that crossed emergencyMb');
  assert.ok(sigtermToEnd >= config.memory.graceMs, `the grace period was honoured: ended ${sigtermToEnd} ms after SIGTERM`);
  const bound = config.memory.graceMs + config.memory.sampleIntervalMs + SCHEDULING_ALLOWANCE_MS;
  assert.ok(sigtermToEnd <= bound, `ended ${sigtermToEnd} ms after SIGTERM: past grace + one sampling period + allowance (${bound} ms)`);
});

test('above hardLimitMb the grace period is cut short', async () => {
  const config = await fixtureConfig('ignore-sigterm.mjs', [], { memory: memory(120, { graceMs: 60_000, hardLimitMb: 150 }), restart: { maxAttempts: 1 } });
  const { runs, samples } = await superviseOnce(config);
  const run = runs[0]!;
  assert.deepEqual([run.force_killed, run.signal], [1, 'SIGKILL']);
  // The first sample over hardLimitMb SIGKILLs the tree: within one sampling period of it the tree is gone (no later
  // sample), far inside the 60 s grace period that SIGTERM started at emergencyMb.
  const times = samples.filter((s) => s.run_id === run.id).map((s) => s.at_ms);
  const overHard = samples.find((s) => s.run_id === run.id && s.rss_bytes > config.memory.hardLimitMb * MB);
  assert.ok(overHard, 'a sample over the hard limit was recorded');
  const lastSample = Math.max(...times);
  assert.ok(lastSample - overHard.at_ms <= config.memory.sampleIntervalMs, `sampled ${lastSample - overHard.at_ms} ms after the hard limit`);
  // SIGKILL at the sample over the hard limit, not at the 60 s grace period's end: the run ends within one sampling
  // period (plus the same allowance) of that sample.
  const bound = config.memory.sampleIntervalMs + SCHEDULING_ALLOWANCE_MS;
  assert.ok(run.ended_at_ms! - overHard.at_ms <= bound, `ended ${run.ended_at_ms! - overHard.at_ms} ms after the sample over the hard limit (bound ${bound} ms)`);
});

test('a run past run.timeoutMs is stopped with reason timeout', async () => {
  const config = await fixtureConfig('hang.mjs', [], { run: { timeoutMs: 300 }, restart: { maxAttempts: 1 } });
  const { outcome, runs, alerts } = await superviseOnce(config);
  assert.equal(outcome.status, 'timeout');
  assert.equal(runs[0]?.reason, 'timeout');
  assert.equal(runs[0]?.force_killed, 0);
  assert.ok(alerts.some((a) => a.kind === 'timeout'));
});

test('an endless output line is cut, and the next line still arrives', async () => {
  const config = await fixtureConfig('noisy.mjs', []);
  const { lines } = await superviseOnce(config);
  const long = lines.find((l) => l.includes('xxxx'));
  assert.ok(long && long.length < 4096 + 200 && long.includes('[line cut at 4096 bytes]'));
  assert.ok(lines.some((l) => l.includes('short line')));
});
