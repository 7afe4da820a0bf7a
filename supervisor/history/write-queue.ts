// The history writes, in the order made, one at a time, never awaited by the tick, the runner or the memory watch.
// A write that cannot land now (another process holds the write lock, the disk is full, the file is gone) stays at
// the head and is retried every `retryMs`; the writes behind it wait in memory up to `maxPending`, past which new
// ones are dropped and counted. The first failure is logged once, the recovery once, with the gap's figures.
import type { Logger } from '../../shared/logger.ts';
import type { Database } from '../../shared/sqlite.ts';

/** A write that would fail again however often it is retried (a bug, a schema mismatch): dropped, not retried. */
const PERMANENT = new Set(['SQLITE_CONSTRAINT', 'SQLITE_ERROR', 'SQLITE_MISUSE', 'SQLITE_MISMATCH', 'SQLITE_RANGE', 'SQLITE_TOOBIG']);

export function isTransientWriteError(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  return !PERMANENT.has(code);
}

/** What the outage looked like, handed to `onRecovered` when writes land again. */
export interface WriteGap {
  readonly sinceMs: number;
  readonly untilMs: number;
  readonly firstError: string;
  /** Writes that waited in memory and landed late. */
  readonly held: number;
  /** Writes dropped because the queue was full, by what they were. */
  readonly dropped: Readonly<Record<string, number>>;
}

export interface WriteQueueOptions {
  readonly logger?: Logger;
  readonly now: () => number;
  /** @default 10000 */
  readonly maxPending?: number;
  /** @default 1000 */
  readonly retryMs?: number;
  /** Called once per outage when a write lands again; what it enqueues (the gap's record) lands next. */
  readonly onRecovered?: (gap: WriteGap) => void;
}

interface Pending {
  readonly what: string;
  readonly run: (db: Database) => Promise<unknown>;
  readonly settle: (value: unknown) => void;
}

export type RunOnConnection = <T>(work: (db: Database) => Promise<T>) => Promise<T>;

export class HistoryWriteQueue {
  private readonly pending: Pending[] = [];
  private draining = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private outage: { sinceMs: number; firstError: string; held: number; dropped: Record<string, number> } | undefined;

  constructor(private readonly use: RunOnConnection, private readonly options: WriteQueueOptions) {}

  /** Writes waiting now. */
  get size(): number {
    return this.pending.length;
  }

  /** True from a failed write until one lands again. */
  get failing(): boolean {
    return this.outage !== undefined;
  }

  /** Queues `run`; resolves with its result once written, or undefined if it was dropped. Never rejects, never waits on the file to queue. */
  enqueue<T>(what: string, run: (db: Database) => Promise<T>): Promise<T | undefined> {
    if (this.pending.length >= (this.options.maxPending ?? 10_000)) {
      const outage = this.outage;
      if (outage) outage.dropped[what] = (outage.dropped[what] ?? 0) + 1;
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      this.pending.push({ what, run, settle: resolve as (value: unknown) => void });
      if (this.outage) this.outage.held += 1;
      if (this.retryTimer === undefined) void this.drain();
    });
  }

  /** Tries to write everything now, for up to `withinMs` (a shutdown); resolves to the writes still not written. */
  async flush(withinMs: number): Promise<number> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const deadline = this.options.now() + withinMs;
    for (;;) {
      await this.drain();
      if (this.pending.length === 0 || this.options.now() >= deadline) return this.pending.length;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, Math.max(1, deadline - this.options.now()))));
    }
  }

  /** Stops the retries; what is still queued is settled as dropped. */
  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const write of this.pending.splice(0)) write.settle(undefined);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const head = this.pending[0] as Pending;
        let value: unknown;
        try {
          value = await this.use((db) => head.run(db));
        } catch (error) {
          if (isTransientWriteError(error)) return this.failed(error as Error);
          this.pending.shift();
          this.options.logger?.error(`a history write (${head.what}) was refused by history.db and dropped: ${(error as Error).message}`);
          head.settle(undefined);
          continue;
        }
        this.pending.shift();
        this.recovered();
        head.settle(value);
      }
    } finally {
      this.draining = false;
    }
  }

  private failed(error: Error): void {
    if (!this.outage) {
      this.outage = { sinceMs: this.options.now(), firstError: error.message, held: this.pending.length, dropped: {} };
      this.options.logger?.error(`history.db cannot be written (${error.message}); the sync and the memory watch go on, history writes wait in memory (up to ${this.options.maxPending ?? 10_000}, then dropped and counted) and are retried every ${this.options.retryMs ?? 1000} ms`);
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.drain();
    }, this.options.retryMs ?? 1000);
    this.retryTimer.unref();
  }

  private recovered(): void {
    const outage = this.outage;
    if (!outage) return;
    this.outage = undefined;
    const gap: WriteGap = { sinceMs: outage.sinceMs, untilMs: this.options.now(), firstError: outage.firstError, held: outage.held, dropped: outage.dropped };
    this.options.onRecovered?.(gap);
  }
}

/** PURE: the log line and the `history-gap` alert's message. */
export function gapMessage(gap: WriteGap, samplesLost: number): string {
  const dropped = Object.entries(gap.dropped).map(([what, n]) => `${n} ${what}`);
  const seconds = ((gap.untilMs - gap.sinceMs) / 1000).toFixed(1);
  return `history.db writes failed for ${seconds} s from ${new Date(gap.sinceMs).toISOString()} to ${new Date(gap.untilMs).toISOString()} (${gap.firstError}); `
    + `${gap.held} writes waited in memory and are written now; dropped: ${dropped.length > 0 ? dropped.join(', ') : 'no writes'}, ${samplesLost} memory samples`;
}
