// Keyset paging by time: every row once, in (at_ms, id) order, across pages that split a millisecond; and each page
// starts its index range at the cursor (one `at_ms >= ?` bound), not at the window's start. With the old row-value
// keyset beside `BETWEEN`, SQLite walked every earlier row again on each page: `history plot` over 5 M samples took
// 217 s (bench: `npm run bench -- history-paging`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pagedRows, pageStatement } from '../../../supervisor/history/queries-paged.ts';
import { runnerSamplesQuery, supervisorSamplesQuery } from '../../../supervisor/history/queries-plot.ts';
import { createHistoryFixture, type HistoryFixture } from '../../helpers/history-db.ts';

let fx: HistoryFixture;
before(async () => {
  fx = await createHistoryFixture();
  // 5 samples in each of 40 milliseconds, runner and supervisor interleaved: pages of 3 split every millisecond.
  await fx.db.exec(`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 399)
    INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count)
    SELECT 1000 + (i / 10), CASE WHEN i % 2 = 0 THEN 'runner' ELSE 'supervisor' END, 1 + i / 100, 1048576 * (i + 1), 1 FROM seq`);
});
after(() => fx.cleanup());

async function collect(query: Parameters<typeof pagedRows>[1]): Promise<Array<{ id: number; at_ms: number }>> {
  const rows: Array<{ id: number; at_ms: number }> = [];
  for await (const row of pagedRows<{ id: number; at_ms: number }>(fx.db, query)) rows.push(row);
  return rows;
}

test('pages of 3 through a window give every row once, in (at_ms, id) order', async () => {
  const all = await fx.db.all<{ id: number; at_ms: number }>("SELECT id, at_ms FROM memory_history WHERE source = 'runner' AND at_ms BETWEEN 1005 AND 1030 ORDER BY at_ms, id");
  assert.equal(all.length, 26 * 5);
  const paged = await collect({ ...runnerSamplesQuery(1005, 1030), pageSize: 3 });
  assert.deepEqual(paged.map((r) => [r.at_ms, r.id]), all.map((r) => [r.at_ms, r.id]));
  const oneRun = await collect({ ...runnerSamplesQuery(0, 0, 2), pageSize: 4 });
  assert.deepEqual(oneRun.map((r) => r.id), (await fx.db.all<{ id: number }>('SELECT id FROM memory_history WHERE run_id = 2 ORDER BY at_ms, id')).map((r) => r.id));
  assert.equal((await collect({ ...supervisorSamplesQuery(1000, 1039), pageSize: 7 })).length, 200);
});

test("a later page's one lower bound is the cursor's at_ms, and SQLite searches the index from there", async () => {
  const query = runnerSamplesQuery(1005, 1030);
  const { sql, params } = pageStatement(query, { atMs: 1020, id: 203 });
  assert.equal((sql.match(/at_ms >= \?/g) ?? []).length, 1, sql);
  assert.doesNotMatch(sql, /BETWEEN|\(at_ms, id\) >/);
  const where = sql.slice(sql.indexOf('WHERE'));
  const lowerAt = (where.slice(0, where.indexOf('at_ms >= ?')).match(/\?/g) ?? []).length;
  assert.equal(params[lowerAt], 1020, 'the bound is the cursor, not the window start 1005');
  const plan = await fx.db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
  assert.ok(plan.some((row) => /SEARCH memory_history USING (COVERING )?INDEX memory_history_source_at \(source=\? AND at_ms>\? AND at_ms<\?\)/.test(row.detail)), JSON.stringify(plan));
  assert.ok(!plan.some((row) => /TEMP B-TREE/.test(row.detail)), 'ordered by the index, no sort');
  const first = pageStatement(query, undefined);
  assert.deepEqual(first.params.slice(-2), [1005, 1030], 'the first page starts at the window');
});
