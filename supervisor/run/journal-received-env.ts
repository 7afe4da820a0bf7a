// The runner's view of history: which worklist journal entries are already recorded, so it re-sends only the rest.
import type { Logger } from '../../shared/logger.ts';
import { childEnv } from '../../shared/protocol.ts';
import type { HistoryStore } from '../history/store.ts';
import { readJournalReceived } from '../history/worklist-changes.ts';

/**
 * `SYNC_SUPERVISOR_JOURNAL_RECEIVED`, read afresh for each attempt (the one before may have sent changes). When
 * history cannot be read, the variable is left out: the runner then re-sends its whole journal, which history writes
 * once (a re-sent change is ignored), so a failed read costs a few rows of traffic, never a lost change.
 */
export async function journalReceivedEnv(store: HistoryStore, logger: Logger): Promise<Record<string, string>> {
  try {
    return { [childEnv.journalReceived]: JSON.stringify(await readJournalReceived(store.db)) };
  } catch (error) {
    logger.warn(`cannot read which worklist changes history.db holds: ${(error as Error).message}; the runner re-sends its whole journal`);
    return {};
  }
}
