import type { Logger } from '../../shared/logger.ts';
import type { HistoryStore } from '../history/store.ts';
import type { LiveState } from '../live-state.ts';
import type { TickOutcome } from './tick.ts';

// A tick that finds the previous run still going is recorded as a `skipped` row (reason `overlap`). The warning
// is logged once the row is written, so whoever reads the log finds the skip in the history too; the writes
// still in flight are kept so that the history is closed only after them.
/** How long the warning waits for its row while history.db takes writes; never while it is failing. */
const SKIP_ROW_WAIT_MS = 5000;

export class OverlapSkips {
  private readonly pending = new Set<Promise<TickOutcome>>();

  constructor(private readonly deps: { readonly live: LiveState; readonly logger: Logger; readonly command: string }) {}

  record(store: HistoryStore, tickAtMs: number): Promise<TickOutcome> {
    this.deps.live.tickSkipped();
    const write = this.write(store, tickAtMs);
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return write;
  }

  /** Resolves once every skip row started so far is written (or has failed and been logged). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private async write(store: HistoryStore, tickAtMs: number): Promise<TickOutcome> {
    const { logger, command } = this.deps;
    try {
      const runId = await store.recordSkipped({ tickAtMs, attempt: 0, command, startedAtMs: tickAtMs, reason: 'overlap' });
      // The row is queued (history.db may be busy or full); while it takes writes, the line waits for the row.
      await store.writesLandedSoon(SKIP_ROW_WAIT_MS);
      logger.warn('tick skipped: the previous run is still going (overlap)');
      return { status: 'skipped', lastRunId: runId, attempts: 0 };
    } catch (error) {
      logger.error(`tick skipped: the previous run is still going (overlap); the skip could not be recorded: ${(error as Error).message}`);
      return { status: 'skipped', lastRunId: undefined, attempts: 0 };
    }
  }
}
