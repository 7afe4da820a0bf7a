import type { SqlValue } from '../../shared/sqlite.ts';

export interface SqlFilter {
  /** Conditions to AND together, each with one `?`. */
  readonly conditions: string[];
  readonly params: SqlValue[];
  /** `WHERE …`, or '' when nothing is filtered. */
  readonly clause: string;
}

/** The history CLI's optional filters as SQL: each `[condition, value]` pair counts only when its value is set. */
export function sqlFilter(filters: ReadonlyArray<readonly [condition: string, value: SqlValue | undefined]>): SqlFilter {
  const set = filters.filter((f): f is readonly [string, SqlValue] => f[1] !== undefined);
  const conditions = set.map(([condition]) => condition);
  return { conditions, params: set.map(([, value]) => value), clause: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '' };
}
