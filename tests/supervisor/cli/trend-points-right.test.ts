// `history trend` points the right way, through the real bin: every run killed opens a critical condition (counted
// in alerts_open) instead of reading "not growing", and a rate from a few points over minutes is not reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Database } from '../../../shared/sqlite.ts';
import { readHistorySnapshot } from '../../../supervisor/history/snapshot.ts';
import { runBin, writeFixtureConfig } from '../../helpers/spawn-bin.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

test('three kills in a row: `history trend` shows the open "runner keeps being killed" and no rate from 3 points', async () => {
  const dir = await tempDir();
  const config = await writeFixtureConfig(dir, 'leak.mjs', ['200'], {
    memory: { warnMb: 70, emergencyMb: 90, graceMs: 500 },
    restart: { maxAttempts: 3, backoffMs: 10, backoffMaxMs: 10 },
  });
  const run = runBin(['run-once', '--config', config], { cwd: dir });
  assert.equal((await run.exit).code, 3, run.stderr());
  assert.match(run.stderr(), /runner keeps being killed: the last 3 runs were all stopped by the supervisor/);

  const trend = runBin(['history', 'trend', '--config', config], { cwd: dir });
  assert.equal((await trend.exit).code, 0, trend.stderr());
  const out = trend.stdout();
  assert.match(out, /growth: not enough data: 0 points over 0 seconds; need ≥ 10 over ≥ 10 minutes; 3 killed run\(s\) left out of the rate/);
  assert.doesNotMatch(out, /not growing|h to emergency\b.*runner/);
  assert.match(out, /kills: the last 3 run\(s\) in a row were killed \(runner keeps being killed\)/);
  assert.match(out, /runner-killed-repeatedly: OPEN since/);
  // The supervisor's own series: a sample or two over seconds is no rate either.
  assert.match(out, /supervisor's own RSS \(window 100\):\n {2}(no measurements yet|current [\d.]+ MB, .*growth: not enough data: \d points? over \d+ seconds)/);

  const db = await Database.open(join(dir, 'data', 'history.db'), { readonly: true });
  try {
    const { alerts } = await readHistorySnapshot(db, Date.now());
    assert.equal(alerts.open.critical, 1, 'alerts_open{level="critical"} reads this');
    assert.equal(alerts.openAlerts[0]?.kind, 'runner-killed-repeatedly');
  } finally {
    await db.close();
  }
});
