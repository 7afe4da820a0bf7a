import type { Readable } from 'node:stream';
import { CappedLineSplitter } from '../../shared/capped-lines.ts';

/**
 * Calls `onLine` for each line of `stream`, cutting any line at `maxBytes` and dropping the rest of it,
 * so a child that writes one endless line cannot grow the supervisor's memory.
 */
export function forEachCappedLine(stream: Readable, maxBytes: number, onLine: (line: string, truncated: boolean) => void): Promise<void> {
  const splitter = new CappedLineSplitter(maxBytes, onLine);
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      splitter.end();
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
