// The one answer to "which alerts are open": for each kind that recovers (the trend alerts), its newest row, when
// that row is a warning or critical rather than the info row that says it recovered. Event kinds are never open.
import type { Database } from '../../shared/sqlite.ts';
import { RECOVERING_KINDS } from '../vocabulary/alert-catalogue.ts';
import type { AlertLevel } from '../vocabulary/words.ts';

export interface OpenAlert {
  readonly kind: string;
  readonly level: Exclude<AlertLevel, 'info'>;
  readonly atMs: number;
  readonly message: string;
}

// One row per kind through the (kind, id) index; retention keeps `alerts` small in any case.
export async function readOpenAlerts(db: Database): Promise<OpenAlert[]> {
  const rows = await db.all<{ kind: string; level: AlertLevel; at_ms: number; message: string }>(
    `SELECT kind, level, at_ms, message FROM alerts
      WHERE id IN (SELECT max(id) FROM alerts WHERE kind IN (${RECOVERING_KINDS.map(() => '?').join(', ')}) GROUP BY kind)
      ORDER BY id`,
    [...RECOVERING_KINDS],
  );
  return rows.flatMap((row) => (row.level === 'info' ? [] : [{ kind: row.kind, level: row.level, atMs: row.at_ms, message: row.message }]));
}
