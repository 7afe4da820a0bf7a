// The one logger capture for tests: the project's own logger (its format and redaction), whose console lines the test
// can read back or wait for, and whose entries (level, message, meta) arrive in an array synchronously for exact asserts.
import { PassThrough } from 'node:stream';
import Transport from 'winston-transport';
import { createLogger, type Logger } from '../../shared/logger.ts';

export interface CapturedEntry {
  readonly level: string;
  readonly message: string;
  readonly meta: Record<string, unknown>;
}

export interface CapturedLogger {
  readonly logger: Logger;
  /** The console lines as an operator reads them (formatted, redacted); they arrive through a stream, so await `waitFor`. */
  readonly lines: string[];
  /** Every entry as logged (after redaction), in order, pushed synchronously by the logging call itself. */
  readonly entries: CapturedEntry[];
  /** The first console line matching `pattern`, already seen or still to come. */
  waitFor(pattern: RegExp): Promise<string>;
}

class ArrayTransport extends Transport {
  constructor(private readonly entries: CapturedEntry[]) {
    super();
  }

  override log(info: { level: string; message: unknown; [key: string]: unknown }, next: () => void): void {
    const { level, message, ...meta } = info;
    this.entries.push({ level, message: String(message), meta });
    next();
  }
}

export function capturedLogger(): CapturedLogger {
  const stream = new PassThrough();
  const lines: string[] = [];
  const entries: CapturedEntry[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(line);
      for (const w of [...waiters]) if (w.pattern.test(line)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
    }
  });
  const waitFor = (pattern: RegExp): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l));
    return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ pattern, resolve }));
  };
  const logger = createLogger({ level: 'debug', consoleStream: stream });
  logger.add(new ArrayTransport(entries));
  return { logger, lines, entries, waitFor };
}
