import type { Logger } from '../../shared/logger.ts';
import type { SqlValue } from '../../shared/sqlite.ts';
import type { MemorySource } from '../vocabulary/words.ts';

export interface MemorySampleRow {
  readonly atMs: number;
  readonly source: MemorySource;
  readonly runId: number | null;
  readonly rssBytes: number;
  readonly pidCount: number;
}

/** Runs one statement on whichever connection is in force when the write happens. */
export type RunStatement = (sql: string, params: SqlValue[]) => Promise<unknown>;

/** Rows per INSERT statement; SQLite allows 32766 bound parameters, and 5 go to each row. */
const ROWS_PER_STATEMENT = 500;

/**
 * Holds memory samples until the store flushes them (at least once a second), so 10 samples a second cost one
 * commit a second. Samples are the least precious rows: a batch that cannot be written is counted and dropped, the
 * first failure of an outage is logged and the rest only counted, and a flush never rejects, so a broken write
 * never stops a run's own row from closing, nor poisons the flushes after it.
 */
export class SampleBuffer {
  private pending: MemorySampleRow[] = [];
  /** The chain of writes; each link resolves whatever happened, so no rejection is ever kept here. */
  private writing: Promise<void> = Promise.resolve();
  private lostInOutage = 0;
  private lostTotal = 0;
  private failing = false;

  constructor(private readonly runStatement: RunStatement, private readonly logger?: Logger) {}

  add(row: MemorySampleRow): void {
    this.pending.push(row);
  }

  /** Samples dropped because their write failed, since the store opened. */
  get lost(): number {
    return this.lostTotal;
  }

  /** Writes everything added so far; concurrent calls queue behind each other. Resolves, never rejects. */
  flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (rows.length > 0) this.writing = this.writing.then(() => this.write(rows));
    return this.writing;
  }

  private async write(rows: readonly MemorySampleRow[]): Promise<void> {
    // Each multi-row INSERT is atomic on its own; no explicit transaction, so other writers on this connection never nest in one.
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const values = chunk.map(() => '(?, ?, ?, ?, ?)').join(', ');
      const params = chunk.flatMap((r) => [r.atMs, r.source, r.runId, r.rssBytes, r.pidCount]);
      try {
        await this.runStatement(`INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count) VALUES ${values}`, params);
      } catch (error) {
        this.failed(error as Error, rows.length - i);
        return;
      }
    }
    this.succeeded();
  }

  private failed(error: Error, rowsLost: number): void {
    this.lostInOutage += rowsLost;
    this.lostTotal += rowsLost;
    if (this.failing) return;
    this.failing = true;
    this.logger?.error(`cannot write memory samples to history.db: ${error.message}; samples are dropped (and counted) until a write succeeds`);
  }

  private succeeded(): void {
    if (!this.failing) return;
    this.logger?.warn(`memory samples are written to history.db again; ${this.lostInOutage} were dropped while writes failed`);
    this.failing = false;
    this.lostInOutage = 0;
  }
}
