const NEWLINE = 0x0a;

interface Seen {
  readonly bytes: Uint8Array;
  /** Offset of the chunk's first byte in the file. */
  readonly start: number;
  /** Newlines before the chunk. */
  readonly linesBefore: number;
}

// Turns a byte offset into a line number for error messages while the file goes by in chunks. Only the last two
// chunks are kept: a token that starts in the one before (a string cut by a chunk boundary) still gets its line.
export class BytePosition {
  /** Bytes seen, the current chunk included. */
  total = 0;
  private previous: Seen | undefined;
  private current: Seen = { bytes: new Uint8Array(0), start: 0, linesBefore: 0 };

  /** Records the next chunk; call before handing it to the parser. */
  advance(chunk: Uint8Array): void {
    const { bytes, linesBefore } = this.current;
    this.previous = this.current;
    this.current = { bytes: chunk, start: this.total, linesBefore: linesBefore + countNewlines(bytes, bytes.length) };
    this.total += chunk.length;
  }

  /** 1-based line of `offset`; undefined when it lies further back than the last two chunks. */
  lineAt(offset: number): number | undefined {
    const seen = offset >= this.current.start ? this.current : this.previous;
    if (seen === undefined || offset < seen.start || offset > this.total) return undefined;
    return seen.linesBefore + countNewlines(seen.bytes, offset - seen.start) + 1;
  }
}

function countNewlines(bytes: Uint8Array, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}
