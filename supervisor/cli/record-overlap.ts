// run-once found the lock held: the previous run is still going. That skip goes into the history too, as the
// resident supervisor records its own overlaps, so `history runs` shows every cron slot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../shared/sqlite.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { HISTORY_APPLICATION_ID, HISTORY_SCHEMA_VERSION } from '../history/schema.ts';
import { HistoryStore } from '../history/store.ts';

export type OverlapRecord = { readonly runId: number } | { readonly notRecorded: string };

/**
 * Writes one `skipped` row (reason `overlap`) beside the lock holder. A second writer is safe in WAL mode: SQLite
 * serialises writers, and the busy timeout waits out the holder's short transactions. What we never do without the
 * lock is create, migrate or repair the file, so anything but our own current schema is left alone.
 */
export async function recordOverlap(config: SupervisorConfig, command: string, atMs: number): Promise<OverlapRecord> {
  const path = join(config.dataDir, 'history.db');
  if (!existsSync(path)) return { notRecorded: `${path} does not exist yet` };
  let db: Database;
  try {
    db = await Database.open(path, { busyTimeoutMs: 5000 });
  } catch (error) {
    return { notRecorded: `cannot open ${path}: ${(error as Error).message}` };
  }
  try {
    const app = (await db.get<{ application_id: number }>('PRAGMA application_id'))?.application_id;
    const version = (await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version;
    if (app !== HISTORY_APPLICATION_ID || version !== HISTORY_SCHEMA_VERSION) {
      await db.close();
      return { notRecorded: `${path} has schema ${version ?? '?'} (application ${app ?? '?'}); this version writes schema ${HISTORY_SCHEMA_VERSION} only under the lock` };
    }
  } catch (error) {
    await db.close().catch(() => undefined);
    return { notRecorded: `cannot read ${path}: ${(error as Error).message}` };
  }
  const store = new HistoryStore(db);
  try {
    return { runId: await store.recordSkipped({ tickAtMs: atMs, attempt: 0, command, startedAtMs: atMs, reason: 'overlap' }) };
  } catch (error) {
    return { notRecorded: `cannot write to ${path}: ${(error as Error).message}` };
  } finally {
    await store.close().catch(() => undefined);
  }
}
