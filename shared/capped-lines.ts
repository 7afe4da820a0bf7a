/** What a splitter does with each line: its text (cut at the cap) and whether anything was cut. */
export type LineHandler = (line: string, truncated: boolean) => void;

/**
 * Splits a byte stream into newline-ended lines, keeping at most `maxBytes` of each and dropping the rest of a
 * longer one, so a peer that writes one endless line cannot grow this process's memory. `onOverflow` hears of a line
 * the moment it passes the cap (once per line), for a reader that must act at once rather than at the next newline.
 */
export class CappedLineSplitter {
  #parts: Buffer[] = [];
  #kept = 0;
  #truncated = false;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: LineHandler,
    private readonly onOverflow?: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      this.#keep(chunk.subarray(start, nl));
      this.#emit();
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    if (this.#kept > 0 || this.#truncated) this.#emit();
  }

  #emit(): void {
    const line = Buffer.concat(this.#parts).toString('utf8').replace(/\r$/, '');
    const truncated = this.#truncated;
    this.#parts = [];
    this.#kept = 0;
    this.#truncated = false;
    this.onLine(line, truncated);
  }

  #keep(piece: Buffer): void {
    const room = this.maxBytes - this.#kept;
    if (piece.length > room && !this.#truncated) {
      this.#truncated = true;
      this.onOverflow?.();
    }
    const kept = piece.subarray(0, Math.max(0, room));
    if (kept.length > 0) {
      // A copy: the chunk's pool must not be pinned by a short piece of it.
      this.#parts.push(Buffer.from(kept));
      this.#kept += kept.length;
    }
  }
}
