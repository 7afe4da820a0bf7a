// Hardening figure: fifty supervisors starting at once against one stale lock, repeated. The takeover must leave
// exactly one holder every time; how long the race takes says what a crowd of starts costs on two busy cores.
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleContender, deadHolder, raceForLock } from '../../tests/helpers/lock-race.ts';
import { benchDir } from '../lib/spawn-bin.ts';
import { median, percentile, round } from '../lib/stats.ts';

export async function benchLockContention(trials = 10, contenders = 50) {
  const dir = await benchDir('lock');
  try {
    const script = await bundleContender(dir);
    const holders: number[] = [];
    const refusedOtherThanHeld: string[] = [];
    const decidedMs: number[] = [];
    let leftoverFiles = 0;
    for (let trial = 0; trial < trials; trial++) {
      const lockPath = join(dir, `trial-${trial}.lock`);
      await writeFile(lockPath, await deadHolder());
      const race = await raceForLock(script, lockPath, contenders);
      holders.push(race.results.filter((r) => r === 'ACQUIRED').length);
      refusedOtherThanHeld.push(...race.results.filter((r) => r !== 'ACQUIRED' && r !== 'REFUSED LOCK_HELD'));
      decidedMs.push(race.goToAllDecidedMs);
      // The holder released on exit: no lock, temp file or takeover claim of this trial may be left behind.
      leftoverFiles += (await readdir(dir)).filter((f) => f.startsWith(`trial-${trial}.`)).length;
    }
    const result = {
      trials,
      contendersPerTrial: contenders,
      trialsWithExactlyOneHolder: holders.filter((h) => h === 1).length,
      holdersMin: Math.min(...holders),
      holdersMax: Math.max(...holders),
      /** Every loser should be told LOCK_HELD; anything else (an I/O error, a crash) is listed here. */
      leftoverFiles,
      otherRefusals: [...new Set(refusedOtherThanHeld)].join('; ') || 'none',
      goToAllDecidedMs: { p50: round(median(decidedMs)), p90: round(percentile(decidedMs, 90)), max: round(Math.max(...decidedMs)) },
    };
    console.log('lock contention:', JSON.stringify(result));
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
