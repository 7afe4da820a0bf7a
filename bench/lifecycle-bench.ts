// Issue 20: what the lifecycle step's snapshot of the whole project costs, at 10k and 100k records, next to a plain
// no-change resync of the same project. The built runner against the stand-in REDCap over HTTP, as a site would run
// it: time (the source's own duration, with and without the step), bytes REDCap sends (the snapshot's requests
// alone, and the resync's), and the runner's peak RSS. Medians of RUNS.
import { spawnRunner } from './lib/runner-result.ts';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { syntheticRecords } from '../examples/demo/synthetic-records.ts';
import type { ResultMessage } from '../shared/protocol.ts';
import { isSnapshotRequest, startRedcapServer, type LoggedRequest, type RedcapStandIn } from '../tests/fixtures/redcap-server.ts';
import { makeWorkspace, redcapConfig, TEST_TOKEN, type Workspace } from '../tests/helpers/runner-workspace.ts';
import { procRss } from './lib/proc-sampler.ts';
import { median, round } from './lib/stats.ts';
import { BYTES_PER_MB as MB } from '../shared/units.ts';

const RUNNER = fileURLToPath(new URL('../dist/sync-runner/main.js', import.meta.url));
const SIZES = [10_000, 100_000] as const;
const RUNS = 3;

interface RunFigures {
  readonly durationMs: number;
  readonly peakRssMb: number;
  readonly requests: LoggedRequest[];
  /** When each request's answer was sent in full, in `requests` order. */
  readonly closedAt: number[];
  readonly result: ResultMessage | undefined;
}

async function runOnce(server: RedcapStandIn, ws: Workspace): Promise<RunFigures> {
  const requests: LoggedRequest[] = [];
  const stop = server.observe((r) => requests.push(r));
  const env = { PATH: process.env.PATH ?? '', REDCAP_API_URL: server.url, REDCAP_API_TOKEN: TEST_TOKEN };
  const runner = spawnRunner(process.execPath, [RUNNER, '--pylantir-config', ws.configPath, '--data-dir', ws.dataDir], { cwd: ws.dir, env });
  const { child } = runner;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, (child.pid === undefined ? undefined : procRss(child.pid)) ?? 0)), 20);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearInterval(sampler);
  stop();
  const closedAt = await Promise.all(requests.map((r) => r.closed));
  if (code !== 0) throw new Error(`runner exited ${code}: ${stderr.slice(-2000)}`);
  const result = runner.result();
  return { durationMs: result?.sources[0]?.durationMs ?? Number.NaN, peakRssMb: round(peak / MB), requests, closedAt, result };
}

const bytesOf = (requests: readonly LoggedRequest[]) => requests.reduce((sum, r) => sum + r.bytes(), 0);

async function measure(records: number): Promise<Record<string, unknown>> {
  const server = await startRedcapServer({ token: TEST_TOKEN, records: syntheticRecords(records, { seed: 11 }) });
  const ws = await makeWorkspace();
  try {
    await ws.writeConfig(redcapConfig(ws, { batch_size: 1000 }));
    const first = await runOnce(server, ws);
    const plain: RunFigures[] = [];
    const withStep: RunFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      await ws.writeConfig(redcapConfig(ws, { batch_size: 1000 }));
      plain.push(await runOnce(server, ws));
      await ws.writeConfig(redcapConfig(ws, { batch_size: 1000, lifecycle: { cancel_removed: true, snapshot_every_minutes: 0 } }));
      withStep.push(await runOnce(server, ws));
    }
    // The snapshot's requests: its id export (no date range, the id field alone) and its batches of identifying fields.
    const isSnapshotPart = (r: LoggedRequest) => isSnapshotRequest(r) || (r.content === 'record' && r.dateRangeBegin === undefined && r.records === 0);
    const snapshotParts = withStep.map((run) => run.requests.map((r, i) => ({ r, closedAt: run.closedAt[i] ?? r.arrivedAt })).filter(({ r }) => isSnapshotPart(r)));
    const snapshotSpanMs = snapshotParts.map((parts) => Math.max(...parts.map((p) => p.closedAt)) - Math.min(...parts.map((p) => p.r.arrivedAt)));
    const rows = first.result?.sources[0]?.inserted ?? 0;
    return {
      records,
      worklistRows: rows,
      firstImportMs: first.durationMs,
      plainResync: { durationMs: median(plain.map((r) => r.durationMs)), peakRssMb: median(plain.map((r) => r.peakRssMb)), bytes: median(plain.map((r) => bytesOf(r.requests))), requests: plain[0]?.requests.length ?? 0 },
      resyncWithSnapshot: { durationMs: median(withStep.map((r) => r.durationMs)), peakRssMb: median(withStep.map((r) => r.peakRssMb)), bytes: median(withStep.map((r) => bytesOf(r.requests))), requests: withStep[0]?.requests.length ?? 0 },
      snapshot: {
        addedMs: median(withStep.map((r, i) => r.durationMs - (plain[i]?.durationMs ?? 0))),
        requestSpanMs: round(median(snapshotSpanMs)),
        bytes: median(snapshotParts.map((parts) => bytesOf(parts.map((p) => p.r)))),
        requests: snapshotParts[0]?.length ?? 0,
        addedPeakRssMb: round(median(withStep.map((r, i) => r.peakRssMb - (plain[i]?.peakRssMb ?? 0)))),
      },
      durationMsRuns: { plain: plain.map((r) => r.durationMs), withSnapshot: withStep.map((r) => r.durationMs) },
    };
  } finally {
    await server.close();
    await ws.cleanup();
  }
}

export async function benchLifecycle(): Promise<Record<string, unknown>> {
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run \`npm run build\` first`);
  const figures: Record<string, unknown> = {};
  for (const records of SIZES) {
    figures[`records${records / 1000}k`] = await measure(records);
    console.log(JSON.stringify(figures[`records${records / 1000}k`], null, 2));
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchLifecycle();
}
