// The `hardening` suite (`npm run bench -- hardening`): figures for the hardening of issue 14, one part per file in
// bench/hardening/. The status flood runs last, so the process spawning of the other parts never overlaps it.
import { benchLockContention } from './hardening/lock-contention.ts';
import { benchRequestDeadline } from './hardening/request-deadline.ts';
import { benchStatusFlood } from './hardening/status-flood.ts';
import { benchTreeSampling } from './hardening/tree-sampling.ts';

export async function benchHardening() {
  const started = performance.now();
  const requestDeadline = await benchRequestDeadline();
  const lockContention = await benchLockContention();
  const treeSampling = await benchTreeSampling();
  const statusFlood = await benchStatusFlood();
  const totalS = Math.round((performance.now() - started) / 100) / 10;
  console.log(`hardening: ${totalS} s in all`);
  return { requestDeadline, lockContention, treeSampling, statusFlood, totalS };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchHardening(), null, 2));
}
