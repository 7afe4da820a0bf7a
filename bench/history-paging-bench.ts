// Bench: `history plot` over millions of samples. The keyset page query before and after issue 22's fix: each page's
// cost near the middle of the history (the old row-value keyset walked every earlier row again), a whole plot, and
// with BENCH_PAGING_OLD_FULL=1 every runner page read both ways (the old way takes minutes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Database, SqlValue } from '../shared/sqlite.ts';
import { runHistoryCli } from '../supervisor/history-cli/main.ts';
import { openHistoryForWrite } from '../supervisor/history/open-history.ts';
import { pageStatement } from '../supervisor/history/queries-paged.ts';
import { runnerSamplesQuery } from '../supervisor/history/queries-plot.ts';

const SAMPLES = Number(process.env.BENCH_PAGING_SAMPLES ?? 3_000_000);
const PAGE = 5000;
const PAGES_TIMED = 5;
const TICK_MS = 300_000;
const SAMPLES_PER_RUN = 10;
const T0 = Date.UTC(2025, 0, 1);

/** The page query as it was: `(at_ms, id) > (?, ?)` beside `at_ms BETWEEN ? AND ?`, which SQLite uses only as a filter. */
function oldPage(fromMs: number, toMs: number, cursor: { atMs: number; id: number }): { sql: string; params: SqlValue[] } {
  return {
    sql: `SELECT id, at_ms, run_id, rss_bytes, pid_count FROM memory_history WHERE source = 'runner' AND at_ms BETWEEN ? AND ? AND (at_ms, id) > (?, ?) ORDER BY at_ms, id LIMIT ${PAGE}`,
    params: [fromMs, toMs, cursor.atMs, cursor.id],
  };
}

async function medianPageMs(db: Database, statement: () => { sql: string; params: SqlValue[] }): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < PAGES_TIMED; i++) {
    const { sql, params } = statement();
    const started = performance.now();
    await db.all(sql, params);
    times.push(performance.now() - started);
  }
  return Math.round(([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0) * 10) / 10;
}

export async function benchHistoryPaging(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'history-paging-'));
  try {
    const db = await openHistoryForWrite(join(dir, 'history.db'));
    let started = performance.now();
    // Runner samples of 5-minute ticks, 10 per run, generated inside SQLite: seconds, not minutes.
    await db.exec(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${SAMPLES - 1})
      INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count)
      SELECT ${T0} + (i / ${SAMPLES_PER_RUN}) * ${TICK_MS} + (i % ${SAMPLES_PER_RUN}) * 100, 'runner', 1 + i / ${SAMPLES_PER_RUN}, (60 + i % 150) * 1048576, 2 FROM seq`);
    await db.get('PRAGMA wal_checkpoint(TRUNCATE)');
    const generateMs = Math.round(performance.now() - started);
    const toMs = T0 + (SAMPLES / SAMPLES_PER_RUN) * TICK_MS;
    const middle = await db.get<{ id: number; at_ms: number }>(`SELECT id, at_ms FROM memory_history ORDER BY id LIMIT 1 OFFSET ${Math.floor(SAMPLES / 2)}`);
    const cursor = { atMs: middle?.at_ms ?? T0, id: middle?.id ?? 0 };
    const before = await medianPageMs(db, () => oldPage(T0, toMs, cursor));
    const after = await medianPageMs(db, () => pageStatement(runnerSamplesQuery(T0, toMs), cursor));
    // Every runner page, old form then new, read and dropped: the paging cost alone, before and after.
    const pageAll = async (statement: (cursor: { atMs: number; id: number } | undefined) => { sql: string; params: SqlValue[] }): Promise<number> => {
      const begun = performance.now();
      let at: { atMs: number; id: number } | undefined;
      for (;;) {
        const { sql, params } = statement(at);
        const page = await db.all<{ id: number; at_ms: number }>(sql, params);
        const last = page[page.length - 1];
        if (!last || page.length < PAGE) return Math.round((performance.now() - begun) / 100) / 10;
        at = { atMs: last.at_ms, id: last.id };
      }
    };
    const allPagesS = process.env.BENCH_PAGING_OLD_FULL === '1'
      ? { before: await pageAll((c) => (c === undefined ? pageStatement(runnerSamplesQuery(T0, toMs), undefined) : oldPage(T0, toMs, c))), after: await pageAll((c) => pageStatement(runnerSamplesQuery(T0, toMs), c)) }
      : undefined;
    const plan = (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${pageStatement(runnerSamplesQuery(T0, toMs), cursor).sql}`, pageStatement(runnerSamplesQuery(T0, toMs), cursor).params)).map((r) => r.detail);
    await db.close();
    // The whole chart, as an operator runs it (the whole span: every page).
    const sink = new PassThrough();
    sink.resume();
    started = performance.now();
    const code = await runHistoryCli(['plot', '--since', '2025-01-01', '--out', join(dir, 'plot.svg'), '--db', join(dir, 'history.db')], { stdout: sink, stderr: sink, env: { TZ: 'UTC' }, cwd: dir, now: () => toMs });
    const plotMs = Math.round(performance.now() - started);
    const figures = {
      samples: SAMPLES, generateMs, pageSize: PAGE,
      pageAtMiddleMs: { before, after },
      plot: { code, ms: plotMs },
      ...(allPagesS === undefined ? {} : { allRunnerPagesS: allPagesS }),
      plan,
    };
    console.log(JSON.stringify(figures, null, 2));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchHistoryPaging();
}
