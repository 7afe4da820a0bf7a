// run-once found the lock held: the previous run is still going. That skip goes into the history too, as the
// resident supervisor records its own overlaps, so `history runs` shows every cron slot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { Database } from '../../shared/sqlite.ts';
import { alertingHistory } from '../alerts/alerting-history.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { judgeHeader, readHistoryHeader } from '../history/history-header.ts';
import { HISTORY_SCHEMA_VERSION } from '../history/schema.ts';

export type OverlapRecord = { readonly runId: number } | { readonly notRecorded: string };

/**
 * Writes one `skipped` row (reason `overlap`) beside the lock holder. A second writer is safe in WAL mode: SQLite
 * serialises writers, and the busy timeout waits out the holder's short transactions. What we never do without the
 * lock is create, migrate or repair the file, so anything but our own current schema is left alone.
 */
export async function recordOverlap(config: SupervisorConfig, command: string, atMs: number, logger: Logger): Promise<OverlapRecord> {
  const path = join(config.dataDir, 'history.db');
  if (!existsSync(path)) return { notRecorded: `${path} does not exist yet` };
  let db: Database;
  try {
    db = await Database.open(path, { busyTimeoutMs: 5000 });
  } catch (error) {
    return { notRecorded: `cannot open ${path}: ${(error as Error).message}` };
  }
  try {
    const header = await readHistoryHeader(db);
    // Ours and current: an older schema of ours needs a migration, which only the lock holder makes.
    if (judgeHeader(header) !== 'ours' || header.userVersion !== HISTORY_SCHEMA_VERSION) {
      await db.close();
      return { notRecorded: `${path} has schema ${header.userVersion} (application ${header.applicationId}); this version writes schema ${HISTORY_SCHEMA_VERSION} only under the lock` };
    }
  } catch (error) {
    await db.close().catch(() => undefined);
    return { notRecorded: `cannot read ${path}: ${(error as Error).message}` };
  }
  // A write held up past the busy wait and landing later is a history-gap, raised like any alert (no sinks here: this
  // process delivers nothing, and the resident supervisor's worker is only woken by its own alerts).
  const { store } = alertingHistory(db, {}, { logger });
  try {
    return { runId: await store.recordSkipped({ tickAtMs: atMs, attempt: 0, command, startedAtMs: atMs, reason: 'overlap' }) };
  } catch (error) {
    return { notRecorded: `cannot write to ${path}: ${(error as Error).message}` };
  } finally {
    await store.close().catch(() => undefined);
  }
}
