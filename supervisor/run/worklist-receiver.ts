// One run's worklist-changes messages → history.db, in the order received, bounded, never in the way of the run.
import type { Logger } from '../../shared/logger.ts';
import { MAX_CHANGES_PER_MESSAGE, type WorklistChange } from '../../shared/protocol.ts';

/** Messages held in memory while history.db catches up; past it a message is dropped and the runner re-sends it next run. */
export const MAX_QUEUED_MESSAGES = 20;

export interface WorklistReceiverOptions {
  readonly runId: number;
  /** Writes one message, resolving to the changes new to history.db (HistoryStore.addWorklistChanges). */
  readonly write: (changes: readonly WorklistChange[], receivedAtMs: number) => Promise<readonly WorklistChange[]>;
  /** Told of the changes written, so /metrics counts them without a query (LiveState.worklistChanged). */
  readonly written: (changes: readonly WorklistChange[]) => void;
  readonly logger: Logger;
  readonly now: () => number;
}

/** What a run's messages came to: written, already in history (re-sent), and not written (dropped or failed). */
export interface WorklistReceipt {
  readonly written: number;
  readonly alreadyHeld: number;
  readonly notWritten: number;
}

/**
 * Nothing is lost by a drop or a failed write: the runner keeps its journal in worklist.db, and the next run is told
 * (childEnv.journalReceived) only what history really holds, so it re-sends the rest. Each kind of trouble is logged
 * once per run and counted in the run's closing line.
 */
export class WorklistReceiver {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private written = 0;
  private alreadyHeld = 0;
  private notWritten = 0;
  private dropLogged = false;
  private failureLogged = false;

  constructor(private readonly options: WorklistReceiverOptions) {}

  receive(changes: readonly WorklistChange[]): void {
    if (changes.length === 0) return;
    if (this.queued >= MAX_QUEUED_MESSAGES) return this.drop(changes.length);
    this.queued += 1;
    const receivedAtMs = this.options.now();
    this.chain = this.chain.then(async () => {
      try {
        const fresh = await this.options.write(changes, receivedAtMs);
        this.written += fresh.length;
        this.alreadyHeld += changes.length - fresh.length;
        if (fresh.length > 0) this.options.written(fresh);
      } catch (error) {
        this.fail(changes.length, error as Error);
      } finally {
        this.queued -= 1;
      }
    });
  }

  /** Resolves once every message received so far is written (or given up); never rejects. */
  async settled(): Promise<WorklistReceipt> {
    await this.chain;
    return { written: this.written, alreadyHeld: this.alreadyHeld, notWritten: this.notWritten };
  }

  private drop(count: number): void {
    this.notWritten += count;
    if (this.dropLogged) return;
    this.dropLogged = true;
    this.options.logger.warn(`run ${this.options.runId}: more than ${MAX_QUEUED_MESSAGES} worklist-changes messages (${MAX_QUEUED_MESSAGES * MAX_CHANGES_PER_MESSAGE} changes) waiting for history.db; dropping the rest of this run's, which the runner re-sends at the next run`);
  }

  private fail(count: number, error: Error): void {
    this.notWritten += count;
    if (this.failureLogged) return;
    this.failureLogged = true;
    this.options.logger.error(`run ${this.options.runId}: cannot write worklist changes to history.db: ${error.message}; the runner re-sends them at the next run`);
  }
}

/** The run's closing words about its worklist changes; empty when it sent none. */
export function receiptText(receipt: WorklistReceipt): string {
  const { written, alreadyHeld, notWritten } = receipt;
  if (written + alreadyHeld + notWritten === 0) return '';
  const parts = [`${written} written`, ...(alreadyHeld > 0 ? [`${alreadyHeld} already in history`] : []), ...(notWritten > 0 ? [`${notWritten} not written (re-sent next run)`] : [])];
  return `worklist status changes: ${parts.join(', ')}`;
}
