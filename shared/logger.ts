import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';
import type { LogLevel } from './log-levels.ts';
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
  let file: winston.transport | undefined;
  if (options.dir) {
    // An unusable data dir is reported by its owner (the supervisor's DATA_DIR_UNUSABLE, exit 6), not as a crash here.
    const why = mkdirOrReason(options.dir);
    if (why === undefined) {
      file = new winston.transports.File({
        filename: join(options.dir, `${options.fileName ?? 'supervisor'}.jsonl`),
        maxsize: options.maxFileBytes ?? 10 * 1024 * 1024,
        maxFiles: options.maxFiles ?? 5,
        tailable: true,
        // Log lines can carry record counts, paths and error text from REDCap: owner only. Rotation renames the
        // file (keeping its mode) and opens the next one with these same options.
        options: { flags: 'a', mode: 0o600 },
        format: winston.format.json(),
      });
      transports.push(file);
    } else {
      consoleStream.write(`log file disabled: cannot create ${options.dir} (${why})\n`);
    }
  }
  const logger = winston.createLogger({ level: options.level ?? 'info', format: base, transports, exitOnError: false });
  // A full or read-only disk must not crash a process meant to live for months: say so once, keep the console log.
  let fileFailed = false;
  logger.on('error', (error: Error) => {
    if (fileFailed) return;
    fileFailed = true;
    consoleStream.write(`log file disabled: ${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}\n`);
    if (file) file.silent = true;
  });
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

/** Resolves once every transport has flushed, so the last lines survive a prompt exit. */
export async function closeLogger(logger: Logger): Promise<void> {
  const done = new Promise<void>((resolve) => logger.on('finish', () => resolve()));
  logger.end();
  await Promise.race([done, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
}
