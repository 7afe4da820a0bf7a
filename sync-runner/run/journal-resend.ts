import { MAX_CHANGES_PER_MESSAGE, type WorklistChangesMessage } from '../../shared/protocol.ts';
import type { Database } from '../../shared/sqlite.ts';
import { journalAfter } from '../worklist/lifecycle-store.ts';
import type { RunLog } from './run-log.ts';

/** At most this many messages of old entries per run; a longer backlog goes on with the next run. */
export const MAX_RESEND_MESSAGES = 20;

/** Pure: SYNC_SUPERVISOR_JOURNAL_RECEIVED (`{"<journalId>": seq}`) read, or why it cannot be. */
export function parseJournalReceived(text: string | undefined): { readonly received: ReadonlyMap<string, number>; readonly problem?: string } {
  if (text === undefined || text.trim() === '') return { received: new Map() };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { received: new Map(), problem: 'is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { received: new Map(), problem: 'is not a JSON object' };
  const received = new Map<string, number>();
  for (const [id, seq] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(seq) || (seq as number) < 0) return { received: new Map(), problem: `holds ${JSON.stringify(seq)} for journal ${JSON.stringify(id.slice(0, 64))}, not a count` };
    received.set(id, seq as number);
  }
  return { received };
}

// Before any new change: every journal entry of this file that history does not hold yet goes out again, in
// message-sized batches, so a kill between a commit and its report loses nothing once a later run completes.
// History writes each (journalId, seq) once, so an entry sent twice is harmless.
export async function resendJournal(db: Database, journalId: string, received: ReadonlyMap<string, number>, report: (message: WorklistChangesMessage) => Promise<void>, log: RunLog): Promise<number> {
  let after = received.get(journalId) ?? 0;
  let sent = 0;
  for (let m = 0; m < MAX_RESEND_MESSAGES; m++) {
    const changes = await journalAfter(db, journalId, after, MAX_CHANGES_PER_MESSAGE);
    if (changes.length === 0) break;
    await report({ type: 'worklist-changes', changes });
    sent += changes.length;
    after = changes.at(-1)?.seq ?? after;
    if (m === MAX_RESEND_MESSAGES - 1 && (await journalAfter(db, journalId, after, 1)).length > 0) {
      log.warn(`worklist journal: sent ${sent} entries history did not hold yet; more remain for the next run (at most ${MAX_RESEND_MESSAGES * MAX_CHANGES_PER_MESSAGE} per run)`);
    }
  }
  if (sent > 0) log.info(`worklist journal: re-sent ${sent} status change(s) history did not hold yet`, { journalId, fromSeq: (received.get(journalId) ?? 0) + 1 });
  return sent;
}
