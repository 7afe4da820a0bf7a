import { JsonArrayItems } from './json-array-items.ts';

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

// Checks a JSON export exactly as JsonArrayItems does, but hands back the bytes of the items each chunk completed,
// copied as they are into one `[item,item,...]` text, instead of their values: the other side turns that into values
// with one native JSON.parse, several times cheaper than the library building them token by token. What the library
// accepted, JSON.parse reads to the same values: the bytes are not touched, and the library refuses all that JSON.parse
// would refuse or read otherwise (control characters in strings, bad escapes or numbers, invalid UTF-8).
export class JsonItemBytes {
  private readonly reader = new JsonArrayItems({ itemStart: (offset) => this.itemStart(offset), itemEnd: (offset) => this.itemEnd(offset) });
  /** The chunk being read, and the file offset of its first byte. */
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;
  /** Where the item not yet closed begins, and its bytes from the chunks before this one (copied, as a reader may
   * reuse a chunk's memory soon after). An item can span chunks. */
  private openStart: number | undefined;
  private carried: Uint8Array[] = [];
  /** The earlier bytes of this chunk's first completed item, when it began in an earlier chunk. */
  private firstItemHead: Uint8Array[] = [];
  // Where this chunk's completed items lie in it, as start/end pairs: numbers, not a view per item. Views would live
  // as long as the chunk is read, long enough to be promoted, and pile up in the old generation by the thousand.
  private ranges: number[] = [];
  private length = 0;

  /** Adds a chunk; returns `[...]` of the items it completed (its own buffer, so it can be transferred), if any.
   * `chunk` must stay as it is until the next one was pushed (an error's line number may be found in it then). */
  push(chunk: Uint8Array): ArrayBuffer | undefined {
    this.chunkStart += this.chunk.length;
    this.chunk = chunk;
    this.reader.push(chunk);
    // A copy (not Buffer#slice, which is a view): the chunk's memory may be read into again.
    if (this.openStart !== undefined) this.carried.push(new Uint8Array(chunk.subarray(Math.max(0, this.openStart - this.chunkStart))));
    return this.take();
  }

  /** Throws when the file was empty or ended before its closing "]". */
  end(): void {
    this.reader.end();
  }

  private itemStart(offset: number): void {
    this.openStart = offset;
    this.carried = [];
  }

  private itemEnd(offset: number): void {
    const start = this.openStart;
    if (start === undefined) throw new Error('JsonArrayItems ended an item it never began');
    // Only the item open when the chunk began has bytes in earlier chunks, and it is the first to end in this one.
    if (this.carried.length > 0) this.firstItemHead = this.carried;
    for (const part of this.carried) this.length += part.length;
    const from = Math.max(0, start - this.chunkStart);
    const to = offset - this.chunkStart;
    this.ranges.push(from, to);
    this.length += to - from;
    this.openStart = undefined;
    this.carried = [];
  }

  private take(): ArrayBuffer | undefined {
    const items = this.ranges.length / 2;
    if (items === 0) return undefined;
    // Not Buffer.allocUnsafe: a small one is a slice of a shared pool, which a transfer would take from everyone.
    const out = new Uint8Array(this.length + items - 1 + 2);
    out[0] = OPEN_BRACKET;
    let at = 1;
    for (const part of this.firstItemHead) {
      out.set(part, at);
      at += part.length;
    }
    for (let i = 0; i < this.ranges.length; i += 2) {
      if (i > 0) out[at++] = COMMA;
      const part = this.chunk.subarray(this.ranges[i], this.ranges[i + 1]);
      out.set(part, at);
      at += part.length;
    }
    out[at] = CLOSE_BRACKET;
    this.firstItemHead = [];
    this.ranges = [];
    this.length = 0;
    return out.buffer;
  }
}
