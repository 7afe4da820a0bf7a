// The streaming SELECT behind `history export`: every column of one table, in insertion order, optionally filtered.
import type { Database } from '../../shared/sqlite.ts';
import type { PagedQuery } from './queries-paged.ts';
import { sqlFilter } from './sql-filter.ts';

export const EXPORT_TABLES = ['runs', 'memory_history', 'alerts'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** Column order of each table, so a CSV header exists even for zero rows. */
const EXPORT_COLUMNS: Record<ExportTable, readonly string[]> = {
  runs: [
    'id', 'tick_at_ms', 'attempt', 'pid', 'pid_start_ticks', 'command', 'started_at_ms', 'ended_at_ms', 'status', 'reason', 'exit_code', 'signal',
    'force_killed', 'peak_rss_bytes', 'peak_pid_count', 'sample_count', 'warned_at_ms', 'emergency_at_ms', 'error', 'result_json',
    'warn_mb', 'emergency_mb', 'hard_limit_mb', 'grace_ms', 'timeout_ms',
  ],
  memory_history: ['id', 'at_ms', 'source', 'run_id', 'rss_bytes', 'pid_count'],
  alerts: ['id', 'at_ms', 'level', 'kind', 'message', 'value', 'run_id'],
};

/** The table's export columns that this file has: a copy from an older version lacks the later ones. */
export async function exportColumns(db: Database, table: ExportTable): Promise<readonly string[]> {
  const present = new Set((await db.all<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table])).map((c) => c.name));
  return EXPORT_COLUMNS[table].filter((column) => present.has(column));
}

const TIME_COLUMN: Record<ExportTable, string> = { runs: 'started_at_ms', memory_history: 'at_ms', alerts: 'at_ms' };
const RUN_COLUMN: Record<ExportTable, string> = { runs: 'id', memory_history: 'run_id', alerts: 'run_id' };

/**
 * Ordered by rowid (insertion order, which is time order) so SQLite pages straight off the table with no sort
 * buffer: a year of samples never sits in memory.
 */
export function exportQuery(table: ExportTable, columns: readonly string[], filter: { runId?: number; sinceMs?: number }): PagedQuery {
  const { conditions, params } = sqlFilter([[`${RUN_COLUMN[table]} = ?`, filter.runId], [`${TIME_COLUMN[table]} >= ?`, filter.sinceMs]]);
  return { columns: columns.join(', '), table, where: conditions, params };
}
