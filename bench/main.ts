import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchAlerts } from './alerts-bench.ts';
import { benchBeforeAfter } from './before-after-bench.ts';
import { benchHardening } from './hardening-bench.ts';
import { benchHistory } from './history-bench.ts';
import { benchHostLoad } from './host-load.ts';
import { benchLifecycle } from './lifecycle-bench.ts';
import { parseBenchArgs } from './lib/bench-args.ts';
import { root } from './lib/spawn-bin.ts';
import { benchPeers } from './peers.ts';
import { writeReport } from './report.ts';
import { benchSoak } from './soak.ts';
import { benchStatus } from './status-bench.ts';
import { benchDetection, benchSupervisorGrowth } from './supervisor-bench.ts';
import { benchSecondWriter } from './second-writer-bench.ts';
import { benchSustain } from './sustain-bench.ts';
import { benchSyncRunner, benchSyncRunnerSmall } from './sync-runner-bench.ts';
import { benchHistoryPaging } from './history-paging-bench.ts';
import { benchWorklistHistory } from './worklist-history-bench.ts';

type Suite = (options: Readonly<Record<string, string>>) => Promise<unknown>;

// `npm run bench` runs the standard suites; `npm run bench -- NAME…` runs only those named (soak and peers are long);
// a suite's options follow as `--name value`.
const standard: Record<string, Suite> = {
  detection: () => benchDetection(),
  growth: () => benchSupervisorGrowth(1000),
  'sync-runner': () => benchSyncRunner(),
  // Issue 20: the lifecycle step's snapshot at 10k and 100k records, next to a plain resync.
  lifecycle: () => benchLifecycle(),
  history: () => benchHistory(),
  status: () => benchStatus(),
};
const suites: Record<string, Suite> = {
  ...standard,
  // The growth loop run ten times longer, to tell warm-up from a slope that would last for months.
  'growth-long': () => benchSupervisorGrowth(10_000),
  soak: () => benchSoak(),
  peers: () => benchPeers(),
  // Figures for the hardening of issue 14: request deadline under GC pressure, lock races, tree sampling, status flood.
  hardening: () => benchHardening(),
  // memory.sustainMs (issue 11): detection with sustainMs 0, the stop delay past sustainMs, brief spikes tolerated.
  sustain: () => benchSustain(),
  // Issue 12: supervisor CPU with 1,000 extra host processes against the quiet host, idle RSS beside PM2's.
  'host-load': () => benchHostLoad(),
  // Issue 11: a memory kill's webhook POST timed from the crossing; detection with a sink that never answers, A/B.
  alerts: () => benchAlerts(),
  // Issue 20: worklist status changes in history.db at 100,000 changes: a message's write, a re-send, the journal variable, the CLI.
  'worklist-history': () => benchWorklistHistory(),
  // Issue 19: the /proc look for a Pylantir that syncs our worklist (check-config, each start, then hourly).
  'second-writer': () => benchSecondWriter(),
  // The 200-record sync alone (spawn to exit, beside a bare node start and a whole run-once), in seconds not minutes.
  'sync-runner-200': () => benchSyncRunnerSmall(),
  // Issue 22: `history plot` over millions of samples, the keyset page before and after the index-bound rewrite.
  'history-paging': () => benchHistoryPaging(),
  // Issue 21: kill latency, overshoot, idle RSS and sampling CPU of the built supervisor at REV and now, interleaved.
  'before-after': (options) => benchBeforeAfter(options),
};
/** The options each suite takes (`npm run bench -- before-after --before REV --rounds N`). */
const suiteOptions: Record<string, readonly string[]> = { 'before-after': ['before', 'rounds'] };

const args = parseBenchArgs(process.argv.slice(2), suiteOptions);
if ('error' in args) {
  console.error(args.error);
  process.exit(2);
}
const requested = args.names;
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`unknown bench suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version };
const report: Record<string, unknown> = { at: new Date().toISOString(), machine };
for (const name of requested.length > 0 ? requested : Object.keys(standard)) {
  console.log(`\n== ${name} ==`);
  report[name] = await (suites[name] as Suite)(args.options);
}
const dir = join(root, 'bench', 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, `bench-${requested.join('-') || 'all'}.json`);
await writeFile(file, JSON.stringify(report, null, 2));
console.log(`\nfigures written to ${file}`);
console.log(`report written to ${await writeReport()}`);
