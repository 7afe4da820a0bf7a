// Bench: one simulated year of 5-minute ticks in history.db — file size before/after retention, and CLI timings.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Database } from '../shared/sqlite.ts';
import { runHistoryCli } from '../supervisor/history-cli/main.ts';
import { openHistoryForWrite } from '../supervisor/history/open-history.ts';
import { pruneHistory } from '../supervisor/history/retention.ts';
import { BYTES_PER_MB as MB, bytesToMb } from '../shared/units.ts';

const TICK_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const SAMPLES_PER_RUN = 10;
const RETENTION = { samplesDays: 30, runsDays: 365 };

const RESULT_JSON = `'{"type":"result","durationMs":1100,"sources":[{"name":"mri","status":"ok","fetched":40,"mriRows":12,"inserted":' || (i % 4) || ',"updated":' || (i % 3) || ',"unchanged":9,"skipped":0,"warnings":[],"durationMs":1000}]}'`;

// Generates `days` of ticks starting at `fromMs` entirely inside SQLite (recursive CTEs): seconds, not minutes.
async function simulateDays(db: Database, fromMs: number, days: number): Promise<void> {
  const runs = (days * DAY_MS) / TICK_MS;
  const first = ((await db.get<{ n: number | null }>('SELECT max(id) AS n FROM runs'))?.n ?? 0) + 1;
  const seq = (n: number): string => `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n - 1})`;
  await db.transaction(async () => {
    await db.run(
      `${seq(runs)} INSERT INTO runs (id, tick_at_ms, attempt, pid, command, started_at_ms, ended_at_ms, status, reason, exit_code, signal, force_killed,
         peak_rss_bytes, peak_pid_count, sample_count, result_json)
       SELECT ${first} + i, ${fromMs} + i * ${TICK_MS}, 1, 10000 + i % 30000, 'node dist/sync-runner/main.js', ${fromMs} + i * ${TICK_MS}, ${fromMs} + i * ${TICK_MS} + 1200,
         CASE WHEN i % 500 = 0 THEN 'killed' ELSE 'ok' END, CASE WHEN i % 500 = 0 THEN 'memory' END, CASE WHEN i % 500 = 0 THEN NULL ELSE 0 END,
         CASE WHEN i % 500 = 0 THEN 'SIGTERM' END, 0, (150 + abs(random()) % 100) * ${MB}, 2, ${SAMPLES_PER_RUN},
         CASE WHEN i % 500 = 0 THEN NULL ELSE ${RESULT_JSON} END
       FROM seq`,
    );
    await db.run(
      `${seq(runs * SAMPLES_PER_RUN)} INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count)
       SELECT ${fromMs} + (i / ${SAMPLES_PER_RUN}) * ${TICK_MS} + (i % ${SAMPLES_PER_RUN}) * 100, 'runner', ${first} + i / ${SAMPLES_PER_RUN},
         (60 + (i % ${SAMPLES_PER_RUN}) * 15 + abs(random()) % 20) * ${MB}, 2 FROM seq`,
    );
    await db.run(
      `${seq(days * 1440)} INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count)
       SELECT ${fromMs} + i * 60000, 'supervisor', NULL, (70 * ${MB}) + abs(random()) % ${MB}, 1 FROM seq`,
    );
    await db.run(
      `${seq(runs / 500)} INSERT INTO alerts (at_ms, level, kind, message, value, run_id)
       SELECT ${fromMs} + i * 500 * ${TICK_MS} + 900, 'critical', 'memory-emergency',
         'runner killed: tree RSS 512 MB exceeded emergency limit 500 MB (2 processes); run ' || (${first} + i * 500), 512, ${first} + i * 500 FROM seq`,
    );
  });
}

async function sizeMb(db: Database, path: string): Promise<{ fileMb: number; freeMb: number }> {
  await db.get('PRAGMA wal_checkpoint(TRUNCATE)');
  const pageSize = (await db.get<{ page_size: number }>('PRAGMA page_size'))?.page_size ?? 4096;
  const free = (await db.get<{ freelist_count: number }>('PRAGMA freelist_count'))?.freelist_count ?? 0;
  return { fileMb: bytesToMb(statSync(path).size, 1), freeMb: bytesToMb(free * pageSize, 1) };
}

// Runs one CLI command in-process, timing it and sampling this process's RSS every 5 ms for the peak.
async function timeCli(argv: string[], cwd: string): Promise<{ ms: number; peakRssDeltaMb: number; code: number }> {
  const sink = new PassThrough();
  sink.resume();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  const code = await runHistoryCli(argv, { stdout: sink, stderr: sink, env: { TZ: 'UTC' }, cwd });
  const ms = Math.round(performance.now() - started);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { ms, peakRssDeltaMb: bytesToMb(peak - before, 1), code };
}

async function count(db: Database, table: string): Promise<number> {
  return (await db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0;
}

export async function benchHistory(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'history-bench-'));
  const path = join(dir, 'history.db');
  const db = await openHistoryForWrite(path);
  try {
    const yearStart = Date.now() - 365 * DAY_MS;
    let t = performance.now();
    await simulateDays(db, yearStart, 365);
    const generateMs = Math.round(performance.now() - t);
    const rows = { runs: await count(db, 'runs'), samples: await count(db, 'memory_history'), alerts: await count(db, 'alerts') };
    const beforeRetention = await sizeMb(db, path);
    const cli = async (argv: string[]) => timeCli([...argv, '--db', path], dir);
    const yearOfSamples = {
      runs: await cli(['runs']),
      runsSince7d: await cli(['runs', '--since', '7d']),
      runsKilled: await cli(['runs', '--status', 'killed']),
      exportSamplesCsv: { rows: rows.samples, ...(await cli(['export', '--table', 'memory_history', '--format', 'csv', '--out', join(dir, 'samples.csv')])) },
    };
    t = performance.now();
    const pruned = await pruneHistory(db, RETENTION, Date.now());
    const pruneMs = Math.round(performance.now() - t);
    const afterRetention = await sizeMb(db, path);
    const samplesKept = await count(db, 'memory_history');
    const steadyState = {
      runs: await cli(['runs']),
      exportSamplesCsv: { rows: samplesKept, ...(await cli(['export', '--table', 'memory_history', '--format', 'csv', '--out', join(dir, 'samples-30d.csv')])) },
      exportRunsCsv: { rows: await count(db, 'runs'), ...(await cli(['export', '--table', 'runs', '--format', 'csv', '--out', join(dir, 'runs.csv')])) },
      trend: await cli(['trend']),
      plot7d: await cli(['plot', '--since', '7d', '--out', join(dir, 'week.html')]),
    };
    // 30 more days with the daily prune: freed pages are reused, so the file must not grow.
    const sizes: number[] = [];
    for (let day = 0; day < 30; day++) {
      const dayStart = Date.now() + day * DAY_MS;
      await simulateDays(db, dayStart, 1);
      await pruneHistory(db, RETENTION, dayStart + DAY_MS);
      if (day % 10 === 9) sizes.push((await sizeMb(db, path)).fileMb);
    }
    await db.exec('VACUUM');
    const report = {
      simulated: { days: 365, tickMinutes: 5, samplesPerRun: SAMPLES_PER_RUN, supervisorSampleSeconds: 60, ...rows, generateMs },
      beforeRetention: { ...beforeRetention, cli: yearOfSamples },
      retention: { ...RETENTION, ...pruned, pruneMs },
      afterRetention: { ...afterRetention, samplesKept, cli: steadyState },
      thirtyMoreDaysWithDailyPrune: { fileMbEvery10Days: sizes },
      liveDataAfterVacuumMb: (await sizeMb(db, path)).fileMb,
    };
    console.log(JSON.stringify(report, null, 2));
    return report;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchHistory();
