// Streams a large SELECT in keyset pages: bounded memory like iterating row by row, but one thread-pool hop per
// page instead of per row (measured 18× faster on 300k rows: 0.7 s against 12.6 s).
import type { Database, SqlValue } from '../../shared/sqlite.ts';

export interface PagedQuery {
  /** Columns to select; must include `id`, and `at_ms` when `byTime`. */
  readonly columns: string;
  readonly table: string;
  /** Conditions ANDed together, with `?` placeholders filled from `params`. */
  readonly where: readonly string[];
  readonly params: readonly SqlValue[];
  /** Order by (at_ms, id) — served by the (source, at_ms) index — instead of by id alone. */
  readonly byTime?: boolean;
  /** @default 5000 */
  readonly pageSize?: number;
}

export async function* pagedRows<T extends { id: number; at_ms?: number }>(db: Database, query: PagedQuery): AsyncGenerator<T> {
  const pageSize = query.pageSize ?? 5000;
  const order = query.byTime ? 'at_ms, id' : 'id';
  let cursor: SqlValue[] | undefined;
  for (;;) {
    const keyset = cursor === undefined ? [] : [query.byTime ? '(at_ms, id) > (?, ?)' : 'id > ?'];
    const conditions = [...query.where, ...keyset];
    const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
    const page = await db.all<T>(`SELECT ${query.columns} FROM ${query.table}${where} ORDER BY ${order} LIMIT ${pageSize}`, [...query.params, ...(cursor ?? [])]);
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) return;
    cursor = query.byTime ? [last.at_ms ?? 0, last.id] : [last.id];
  }
}
