import type { Database } from '../../shared/sqlite.ts';
import type { MemorySource } from './schema.ts';

export interface MemorySampleRow {
  readonly atMs: number;
  readonly source: MemorySource;
  readonly runId: number | null;
  readonly rssBytes: number;
  readonly pidCount: number;
}

/** Rows per INSERT statement; SQLite allows 32766 bound parameters, and 5 go to each row. */
const ROWS_PER_STATEMENT = 500;

/**
 * Holds memory samples and writes them at least every `flushEveryMs`, so a crash loses at most that
 * much, and 10 samples a second cost one commit a second.
 */
export class SampleBuffer {
  private pending: MemorySampleRow[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Database, flushEveryMs: number) {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), flushEveryMs);
    this.timer.unref();
  }

  add(row: MemorySampleRow): void {
    this.pending.push(row);
  }

  /** Writes everything added so far; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    if (rows.length === 0) return this.writing;
    this.writing = this.writing.catch(() => undefined).then(() => this.write(rows));
    return this.writing;
  }

  private async write(rows: readonly MemorySampleRow[]): Promise<void> {
    // Each multi-row INSERT is atomic on its own; no explicit transaction, so other writers on this connection never nest in one.
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      const values = chunk.map(() => '(?, ?, ?, ?, ?)').join(', ');
      const params = chunk.flatMap((r) => [r.atMs, r.source, r.runId, r.rssBytes, r.pidCount]);
      await this.db.run(`INSERT INTO memory_history (at_ms, source, run_id, rss_bytes, pid_count) VALUES ${values}`, params);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
