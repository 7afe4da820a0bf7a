import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';
import type { LogLevel } from './log-levels.ts';
import { BoundedFileTransport } from './bounded-file-transport.ts';
import { redactSecrets } from './redact.ts';
import { escapeControls } from './terminal-text.ts';

export type Logger = winston.Logger;
export type { LogLevel };

export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** Console lines as JSON instead of the readable form. @default false */
  readonly jsonConsole?: boolean;
  /** Where console lines go. @default process.stderr */
  readonly consoleStream?: Writable;
  /** Folder for `<fileName>.jsonl`, rotated by size; no file log when absent. */
  readonly dir?: string;
  /** @default 'supervisor' */
  readonly fileName?: string;
  /** Rotate at this size. @default 10 MiB */
  readonly maxFileBytes?: number;
  /** Rotated files kept. @default 5 */
  readonly maxFiles?: number;
  /** Literal values (tokens) that must never reach any transport. */
  readonly secrets?: readonly string[];
  /** How often a log file that failed (a full disk) is tried again. @default 5000 */
  readonly fileRetryMs?: number;
  /** Start readable console lines with a timestamp; off for a child whose parent stamps its lines. @default true */
  readonly consoleTimestamps?: boolean;
}

// One event, one line: a message may quote a runner's output or REDCap's error text, so control characters are
// escaped here, where every readable line is made (the JSON transports escape them already).
const readable = (withTimestamp: boolean) =>
  winston.format.printf((info) => {
    const { level, message, timestamp, ...meta } = info;
    const extras = Object.entries(meta)
      .filter(([key]) => typeof key === 'string')
      .map(([key, value]) => `${key}=${escapeControls(typeof value === 'string' ? value : JSON.stringify(value))}`)
      .join(' ');
    return `${withTimestamp ? `${String(timestamp)} ` : ''}${level.padEnd(5)} ${escapeControls(String(message))}${extras ? ` ${extras}` : ''}`;
  });

// One logger per process: readable (or JSON) on the console, JSON lines on disk, secrets redacted before either.
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const redact = winston.format((info) => redactSecrets(info, secrets) as typeof info);
  const base = winston.format.combine(redact(), winston.format.timestamp());
  const transports: winston.transport[] = [
    new winston.transports.Stream({
      stream: options.consoleStream ?? process.stderr,
      format: options.jsonConsole ? winston.format.json() : readable(options.consoleTimestamps ?? true),
    }),
  ];
  const consoleStream = options.consoleStream ?? process.stderr;
  if (options.dir) {
    // An unusable data dir is reported by its owner (the supervisor's DATA_DIR_UNUSABLE, exit 6), not as a crash here.
    const why = mkdirOrReason(options.dir);
    if (why === undefined) {
      // A file that cannot be written (full disk) is said once on the console, never slows it, and is retried.
      transports.push(new BoundedFileTransport({
        path: join(options.dir, `${options.fileName ?? 'supervisor'}.jsonl`),
        format: winston.format.json(),
        console: consoleStream,
        maxFileBytes: options.maxFileBytes ?? 10 * 1024 * 1024,
        maxFiles: options.maxFiles ?? 5,
        ...(options.fileRetryMs === undefined ? {} : { retryMs: options.fileRetryMs }),
      }));
    } else {
      consoleStream.write(`log file disabled: cannot create ${options.dir} (${why})\n`);
    }
  }
  const logger = winston.createLogger({ level: options.level ?? 'info', format: base, transports, exitOnError: false });
  // Nothing of ours emits 'error' now; a listener still keeps an unexpected one from crashing a months-long process.
  logger.on('error', (error: Error) => consoleStream.write(`logger error: ${error.message}\n`));
  return logger;
}

function mkdirOrReason(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
}

/** Resolves once every transport has flushed (the file's queue written, or the file failing), so the last lines survive a prompt exit. */
export async function closeLogger(logger: Logger): Promise<void> {
  const done = new Promise<void>((resolve) => logger.on('finish', () => resolve()));
  const files = logger.transports.filter((t): t is BoundedFileTransport => t instanceof BoundedFileTransport);
  logger.end();
  const flushed = Promise.all([done, ...files.map((file) => file.shutdown())]);
  await Promise.race([flushed, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
}
