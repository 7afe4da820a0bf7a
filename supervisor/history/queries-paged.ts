// Streams a large SELECT in keyset pages: bounded memory like iterating row by row, but one thread-pool hop per
// page instead of per row (measured 18× faster on 300k rows: 0.7 s against 12.6 s).
import type { Database, SqlValue } from '../../shared/sqlite.ts';

export interface PagedQuery {
  /** Columns to select; must include `id`, and `at_ms` when `byTime`. */
  readonly columns: string;
  readonly table: string;
  /** Conditions ANDed together, with `?` placeholders filled from `params`. Not on `at_ms` when `byTime`: see `timeRange`. */
  readonly where: readonly string[];
  readonly params: readonly SqlValue[];
  /** Order by (at_ms, id) — served by the (source, at_ms) or (run_id, at_ms) index — instead of by id alone. */
  readonly byTime?: boolean;
  /** With `byTime`: only rows with at_ms in [fromMs, toMs]. Kept apart so each page's lower bound is one `at_ms >= ?`. */
  readonly timeRange?: { readonly fromMs: number; readonly toMs: number };
  /** @default 5000 */
  readonly pageSize?: number;
}

/** Where the previous page ended: the last row's (at_ms, id) by time, else its id. */
export type PageCursor = { readonly atMs: number; readonly id: number } | { readonly id: number };

/**
 * PURE: one page's SELECT. By time, the page starts with ONE lower bound on at_ms, `at_ms >= max(fromMs, cursor's
 * at_ms)`, which SQLite uses as the start of its index range, then `(at_ms > ? OR id > ?)` skips the rows of that
 * same millisecond already sent. A row value `(at_ms, id) > (?, ?)` next to `at_ms BETWEEN ? AND ?` is only a filter:
 * SQLite starts each page's range at fromMs and walks every row before the cursor again (5 M samples: 217 s).
 */
export function pageStatement(query: PagedQuery, cursor: PageCursor | undefined): { sql: string; params: SqlValue[] } {
  const conditions = [...query.where];
  const params: SqlValue[] = [...query.params];
  if (query.byTime) {
    const cursorAt = cursor !== undefined && 'atMs' in cursor ? cursor.atMs : undefined;
    const lower = Math.max(query.timeRange?.fromMs ?? Number.NEGATIVE_INFINITY, cursorAt ?? Number.NEGATIVE_INFINITY);
    if (Number.isFinite(lower)) {
      conditions.push('at_ms >= ?');
      params.push(lower);
    }
    if (query.timeRange !== undefined) {
      conditions.push('at_ms <= ?');
      params.push(query.timeRange.toMs);
    }
    if (cursorAt !== undefined) {
      conditions.push('(at_ms > ? OR id > ?)');
      params.push(cursorAt, cursor?.id ?? 0);
    }
  } else if (cursor !== undefined) {
    conditions.push('id > ?');
    params.push(cursor.id);
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = query.byTime ? 'at_ms, id' : 'id';
  return { sql: `SELECT ${query.columns} FROM ${query.table}${where} ORDER BY ${order} LIMIT ${query.pageSize ?? 5000}`, params };
}

export async function* pagedRows<T extends { id: number; at_ms?: number }>(db: Database, query: PagedQuery): AsyncGenerator<T> {
  const pageSize = query.pageSize ?? 5000;
  let cursor: PageCursor | undefined;
  for (;;) {
    const { sql, params } = pageStatement(query, cursor);
    const page = await db.all<T>(sql, params);
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
    cursor = query.byTime ? { atMs: last.at_ms ?? 0, id: last.id } : { id: last.id };
  }
}
