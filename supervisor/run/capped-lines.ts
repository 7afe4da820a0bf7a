import type { Readable } from 'node:stream';

/**
 * Calls `onLine` for each line of `stream`, cutting any line at `maxBytes` and dropping the rest of it,
 * so a child that writes one endless line cannot grow the supervisor's memory.
 */
export function forEachCappedLine(stream: Readable, maxBytes: number, onLine: (line: string, truncated: boolean) => void): Promise<void> {
  let parts: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  const emit = (): void => {
    onLine(Buffer.concat(parts).toString('utf8').replace(/\r$/, ''), truncated);
    parts = [];
    kept = 0;
    truncated = false;
  };
  const keep = (chunk: Buffer): void => {
    const room = maxBytes - kept;
    if (chunk.length > room) truncated = true;
    const piece = chunk.subarray(0, Math.max(0, room));
    if (piece.length > 0) {
      parts.push(Buffer.from(piece));
      kept += piece.length;
    }
  };
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      keep(chunk.subarray(start, nl));
      emit();
      start = nl + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  });
  return new Promise((resolve) => {
    const finish = (): void => {
      if (kept > 0 || truncated) emit();
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    stream.once('error', finish);
  });
}
