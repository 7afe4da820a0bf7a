import type { Logger } from '../../shared/logger.ts';
import type { Database } from '../../shared/sqlite.ts';

/**
 * Closes a connection whose file has left its path, so that nothing of it leaks into the file opened there next.
 *
 * SQLite does not checkpoint a database that has moved when its connection closes, and leaves its WAL at
 * `history.db-wal`. After a delete that is harmless (SQLite drops a WAL it finds beside an empty database), but a
 * file moved into the path would replay those frames as its own and come up holding pages of the lost file, or
 * corrupt. So the WAL is folded into the lost file and truncated first, with the close queued straight behind it:
 * both wait for the statements already issued, and no statement can slip in between.
 */
export async function closeLostFile(db: Database, logger?: Logger): Promise<void> {
  const warn = (what: string) => (error: unknown): void => {
    logger?.warn(`${what} the lost history.db failed: ${(error as Error).message}`);
  };
  const checkpointed = db.exec('PRAGMA wal_checkpoint(TRUNCATE)').catch(warn('checkpointing'));
  const closed = db.close().catch(warn('closing'));
  await Promise.all([checkpointed, closed]);
}
