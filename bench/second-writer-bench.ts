// Issue 19: what the second-writer check costs, the /proc listing for `pylantir start` processes and the verdict on
// each, as check-config and every supervisor start (then at most hourly) run it.
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { findPylantirSyncs } from '../supervisor/pylantir/second-writer.ts';

const REPS = 30;

export async function benchSecondWriter(): Promise<Record<string, number>> {
  const hostProcesses = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const started = performance.now();
    await findPylantirSyncs('/var/lib/worklist/worklist.db');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0) * 100) / 100;
  const figures = { hostProcesses, loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100, reps: REPS, scanMsP50: at(0.5), scanMsP90: at(0.9), scanMsMax: at(1) };
  console.log(`second-writer check over ${hostProcesses} host processes: p50 ${figures.scanMsP50} ms, p90 ${figures.scanMsP90} ms, max ${figures.scanMsMax} ms (${REPS} reps, load average ${figures.loadAverage1m})`);
  return figures;
}
