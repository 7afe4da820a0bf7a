// The log file, as a winston transport that can never hold the logger up: each line is queued and acknowledged at
// once, written by one fs.write at a time, and the queue is capped in bytes. A file that cannot be written (a full
// disk, EIO, a read-only remount) is said once on the console; lines past the cap are dropped and counted; the file
// is retried every `retryMs` and its return is said once with the count. winston's File transport instead keeps
// every line in its stream buffer and applies backpressure to the whole logger, which stops the console too.
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';

const MESSAGE = Symbol.for('message');
// winston's typings call the base class `transport`; at run time it is exported as `Transport` (winston-transport).
const TransportBase = (winston as unknown as { Transport: new (options: { format: winston.Logform.Format }) => winston.transport }).Transport;

export interface BoundedFileOptions {
  readonly path: string;
  readonly format: winston.Logform.Format;
  /** Where the one "disabled" and the one "writable again" line go. */
  readonly console: Writable;
  /** Rotate at this size. */
  readonly maxFileBytes: number;
  /** Files kept, the current one included: `name.jsonl`, `name1.jsonl` … `name{maxFiles-1}.jsonl`. */
  readonly maxFiles: number;
  /** Lines waiting for the file, in bytes, before new ones are dropped. @default 1 MiB */
  readonly maxQueueBytes?: number;
  /** How often a failed file is tried again. @default 5000 */
  readonly retryMs?: number;
}

export class BoundedFileTransport extends TransportBase {
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private file: FileHandle | undefined;
  private size = 0;
  private writing = false;
  private failure: string | undefined;
  private dropped = 0;
  /** A write cut short by the failure left half a line: the first line after recovery starts on a new one. */
  private brokenLine = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private idle: Array<() => void> = [];

  constructor(private readonly options: BoundedFileOptions) {
    super({ format: options.format });
  }

  /** Lines dropped since the file last failed (0 while it works). */
  get droppedLines(): number {
    return this.dropped;
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = Buffer.from(`${String(info[MESSAGE])}\n`);
    if (this.stopped || this.queuedBytes + line.length > (this.options.maxQueueBytes ?? 1024 * 1024)) this.dropped += 1;
    else {
      this.queue.push(line);
      this.queuedBytes += line.length;
      if (this.failure === undefined) this.pump();
    }
    next();
  }

  /** Resolves when the queue is written, or the file is failing (its lines then wait for the retry or are lost). */
  drained(): Promise<void> {
    if (this.failure !== undefined || (this.queue.length === 0 && !this.writing)) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops the retries and closes the file; lines logged afterwards are counted as dropped. */
  async shutdown(): Promise<void> {
    await this.drained();
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.closeFile();
  }

  private pump(): void {
    if (this.writing || this.stopped) return;
    this.writing = true;
    void this.writeQueue().finally(() => {
      this.writing = false;
      if (this.queue.length === 0 || this.failure !== undefined) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  private async writeQueue(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        if (this.file === undefined) await this.openFile();
        if (this.size >= this.options.maxFileBytes) await this.rotate();
        await this.writeBatch();
        if (this.failure !== undefined) this.recovered();
      }
    } catch (error) {
      this.failed(error as NodeJS.ErrnoException);
    }
  }

  /** Up to 64 KiB of whole lines (at least one), which leave the queue only once all of them are written. */
  private async writeBatch(): Promise<void> {
    // A batch also ends where the file would pass its size, so rotation keeps files near maxFileBytes.
    const room = Math.min(65_536, this.options.maxFileBytes - this.size);
    let bytes = 0;
    let count = 0;
    for (const line of this.queue) {
      if (count > 0 && bytes + line.length > room) break;
      bytes += line.length;
      count += 1;
    }
    const batch = Buffer.concat([...(this.brokenLine ? [Buffer.from('\n')] : []), ...this.queue.slice(0, count)]);
    const file = this.file as FileHandle;
    let offset = 0;
    try {
      while (offset < batch.length) {
        const { bytesWritten } = await file.write(batch, offset, batch.length - offset);
        offset += bytesWritten;
        this.size += bytesWritten;
      }
    } catch (error) {
      // Lines of a batch cut short are written again after recovery (a few may then appear twice, none lost).
      if (offset > 0) this.brokenLine = true;
      throw error;
    }
    this.brokenLine = false;
    for (const line of this.queue.splice(0, count)) this.queuedBytes -= line.length;
  }

  private async openFile(): Promise<void> {
    // Owner only: lines carry paths, counts and error text from REDCap.
    this.file = await open(this.options.path, 'a', 0o600);
    this.size = (await this.file.stat()).size;
  }

  private async closeFile(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
  }

  /** `name.jsonl` → `name1.jsonl` → … ; the oldest beyond maxFiles is removed. */
  private async rotate(): Promise<void> {
    const { path, maxFiles } = this.options;
    const ext = extname(path);
    const numbered = (n: number): string => join(dirname(path), `${basename(path, ext)}${n}${ext}`);
    await this.closeFile();
    await rm(numbered(maxFiles - 1), { force: true });
    for (let n = maxFiles - 2; n >= 1; n--) await rename(numbered(n), numbered(n + 1)).catch(() => undefined);
    if (maxFiles > 1) await rename(path, numbered(1));
    else await rm(path, { force: true });
    await this.openFile();
  }

  private failed(error: NodeJS.ErrnoException): void {
    const retryMs = this.options.retryMs ?? 5000;
    if (this.failure === undefined) {
      this.failure = error.code ?? error.message;
      const capKiB = Math.round((this.options.maxQueueBytes ?? 1024 * 1024) / 1024);
      this.options.console.write(`${new Date().toISOString()} error log file disabled: cannot write ${this.options.path} (${error.message}); `
        + `logging to the console only, keeping up to ${capKiB} KiB of lines for the file and dropping the rest; retrying every ${retryMs / 1000} s\n`);
    }
    // A handle on a file that failed may be stale (EIO, a remount): the next try opens it afresh.
    void this.closeFile();
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.pump(), retryMs);
    this.retryTimer.unref();
  }

  private recovered(): void {
    const message = `log file writable again: ${this.options.path} (it failed with ${this.failure}), ${this.dropped} lines dropped`;
    this.failure = undefined;
    this.dropped = 0;
    this.options.console.write(`${new Date().toISOString()} warn  ${message}\n`);
    const line = Buffer.from(`${JSON.stringify({ level: 'warn', message, timestamp: new Date().toISOString() })}\n`);
    this.queue.push(line);
    this.queuedBytes += line.length;
  }
}
