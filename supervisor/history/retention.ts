// Retention: raw samples live `samplesDays`, run summaries and alerts `runsDays`; pruned in small batches.
// `worklist_changes` and `worklist_journals` are never pruned: the audit record of the worklist (worklist-changes.ts).
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Logger } from '../../shared/logger.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { RetentionConfig } from '../config/types.ts';

export interface PruneResult {
  readonly samplesDeleted: number;
  readonly runsDeleted: number;
  readonly alertsDeleted: number;
  /** Outbox rows of the pruned alerts, whatever their state. */
  readonly deliveriesDeleted: number;
  readonly snapshotsDeleted: number;
}

export interface PruneOptions {
  /** Rows per DELETE; each statement is its own short write lock. @default 5000 */
  readonly batchSize?: number;
  /** Stops between batches (a shutdown shouldn't wait for a big first prune). */
  readonly signal?: AbortSignal;
}

const MS_PER_DAY = 86_400_000;

// Deletes `select`'s rows batch by batch, yielding between batches so the supervisor's writes interleave.
async function deleteInBatches(db: Database, table: string, select: string, params: readonly number[], options: PruneOptions): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  let deleted = 0;
  for (;;) {
    if (options.signal?.aborted) return deleted;
    const { changes } = await db.run(`DELETE FROM ${table} WHERE id IN (${select} LIMIT ${batchSize})`, [...params]);
    deleted += changes;
    if (changes < batchSize) return deleted;
    await yieldToEventLoop();
  }
}

/**
 * Prunes history older than the retention windows. Samples go at the sooner of the two cutoffs, so a run's
 * summary always outlives its raw samples. Freed pages are reused by later inserts, so the file stops growing.
 */
export async function pruneHistory(db: Database, retention: RetentionConfig, nowMs: number, options: PruneOptions = {}): Promise<PruneResult> {
  const runsCutoff = nowMs - retention.runsDays * MS_PER_DAY;
  const samplesCutoff = Math.max(nowMs - retention.samplesDays * MS_PER_DAY, runsCutoff);
  let samplesDeleted = 0;
  // One query per source so the (source, at_ms) index finds the old rows without a table scan.
  for (const source of ['runner', 'supervisor']) {
    samplesDeleted += await deleteInBatches(db, 'memory_history', `SELECT id FROM memory_history WHERE source = '${source}' AND at_ms < ?`, [samplesCutoff], options);
  }
  const runsDeleted = await deleteInBatches(db, 'runs', "SELECT id FROM runs WHERE started_at_ms < ? AND status <> 'running'", [runsCutoff], options);
  // Deleted by hand before their alerts: ON DELETE CASCADE only acts under PRAGMA foreign_keys=ON, which we leave off.
  const deliveriesDeleted = await deleteInBatches(db, 'alert_deliveries', 'SELECT id FROM alert_deliveries WHERE alert_id IN (SELECT id FROM alerts WHERE at_ms < ?)', [runsCutoff], options);
  const alertsDeleted = await deleteInBatches(db, 'alerts', 'SELECT id FROM alerts WHERE at_ms < ?', [runsCutoff], options);
  const snapshotsDeleted = await deleteInBatches(db, 'trend_snapshots', 'SELECT id FROM trend_snapshots WHERE at_ms < ?', [runsCutoff], options);
  if (samplesDeleted + runsDeleted + alertsDeleted + deliveriesDeleted + snapshotsDeleted > 0) {
    // Folds the WAL back into the main file and truncates it, so the -wal file doesn't keep the deleted pages' size.
    await db.get('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return { samplesDeleted, runsDeleted, alertsDeleted, deliveriesDeleted, snapshotsDeleted };
}

export interface RetentionOptions {
  /** Asked at each prune: the store swaps its connection when history.db was deleted or replaced under it. */
  readonly db: () => Database;
  readonly retention: RetentionConfig;
  readonly logger: Logger;
  /** Aborting clears the daily timer and stops a prune between batches. */
  readonly signal: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default 86400000 (daily) */
  readonly intervalMs?: number;
}

/**
 * Prunes now and then every `intervalMs` until `signal` aborts. Resolves when the startup prune is done; a failed
 * prune is logged (the next one retries) rather than thrown, because nobody awaits the daily ones.
 */
export async function startRetention(options: RetentionOptions): Promise<void> {
  const { db, retention, logger, signal } = options;
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  const prune = (trigger: 'startup' | 'daily'): Promise<void> => {
    // A slow prune still running when the next one is due is simply left to finish.
    running ??= (async () => {
      const started = now();
      try {
        const result = await pruneHistory(db(), retention, started, { signal });
        logger.info(`history pruned (${trigger}): ${result.samplesDeleted} samples, ${result.runsDeleted} runs, ${result.alertsDeleted} alerts (${result.deliveriesDeleted} deliveries), ${result.snapshotsDeleted} trend snapshots in ${now() - started} ms`, { ...result, retention });
      } catch (error) {
        logger.error(`history prune (${trigger}) failed: ${(error as Error).message}; the next prune retries`, { error });
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  if (signal.aborted) return;
  const timer = setInterval(() => void prune('daily'), options.intervalMs ?? MS_PER_DAY);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  await prune('startup');
}
