// Above hardLimitMb the first signal the runner gets is SIGKILL, as the README and config/types.ts say: no SIGTERM
// before it. The fixture answers a SIGTERM at once (its main thread stays idle while a worker allocates), so a
// SIGTERM sent even milliseconds before the SIGKILL shows up in its output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureConfig, MB } from '../../helpers/harness.ts';
import { runWatched } from '../../helpers/run-child.ts';

const SIGTERM_SEEN = 'SIGTERM received';
/** The fixture alone is ~50 MB; with the worker's 250 MB it lies far above the hard limit. */
const ALLOCATE_MB = 250;

test('a tree over hardLimitMb is SIGKILLed first: it never sees a SIGTERM; forceKilled, reason memory', { timeout: 60_000 }, async () => {
  // sustainMs keeps a sample caught mid-allocation between emergencyMb and hardLimitMb from stopping the run with
  // SIGTERM; the hard limit kills whatever the sustain wait.
  const memory = { warnMb: 90, emergencyMb: 120, hardLimitMb: 160, sustainMs: 30_000, graceMs: 30_000 };
  const config = await fixtureConfig('record-sigterm.mjs', [String(ALLOCATE_MB)], { memory });
  const { report, lines, stops } = await runWatched(config);
  assert.deepEqual(lines.filter((l) => l === SIGTERM_SEEN), [], 'the runner was sent SIGTERM before SIGKILL');
  assert.deepEqual([report.status, report.reason, report.forceKilled, report.signal], ['killed', 'memory', true, 'SIGKILL']);
  assert.ok(report.peakRssBytes! > 160 * MB, `peak ${report.peakRssBytes! / MB} MB`);
  assert.deepEqual(stops.map((s) => s.reason === 'memory' && [s.verdict, s.limitMb]), [['kill', 160]]);
  assert.equal(report.terminatedAtMs, stops[0]?.atMs);
});

test('the fixture does tell a SIGTERM: at emergencyMb, below the hard limit, it gets one and says so', { timeout: 60_000 }, async () => {
  const memory = { warnMb: 90, emergencyMb: 120, hardLimitMb: 4000, graceMs: 30_000 };
  const config = await fixtureConfig('record-sigterm.mjs', [String(ALLOCATE_MB)], { memory });
  const { report, lines } = await runWatched(config);
  assert.ok(lines.includes(SIGTERM_SEEN), lines.join('\n'));
  assert.deepEqual([report.status, report.reason, report.forceKilled, report.exitCode], ['killed', 'memory', false, 0]);
});
