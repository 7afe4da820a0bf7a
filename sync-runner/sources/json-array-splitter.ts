// Splits a JSON array of objects, fed in chunks, into the text of each complete object, so a large export is
// parsed one record row at a time instead of as one huge value.
export class JsonArraySplitter {
  private state: 'before' | 'inside' | 'after' = 'before';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text of the object being read, carried across chunk boundaries. */
  private carry = '';
  private inObject = false;

  /** Adds a chunk and returns the objects it completed, as JSON text. Throws when the text is not an array of objects. */
  push(chunk: string): string[] {
    const out: string[] = [];
    let objectStart = this.inObject ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (this.state === 'before') {
        if (c === 0xfeff) continue;
        if (c !== 91) throw new Error('it does not start with "[" (not a JSON array)');
        this.state = 'inside';
        continue;
      }
      if (this.state === 'after') throw new Error('there is text after the closing "]"');
      if (c === 34) {
        this.inString = true;
        if (!this.inObject) throw new Error('an array item is not an object');
        continue;
      }
      if (c === 123 || c === 91) {
        if (this.depth === 0) {
          if (c === 91) throw new Error('an array item is an array, not an object');
          this.inObject = true;
          objectStart = i;
        }
        this.depth++;
      } else if (c === 125 || c === 93) {
        if (this.depth === 0) {
          if (c === 125) throw new Error('unbalanced "}"');
          this.state = 'after';
          continue;
        }
        this.depth--;
        if (this.depth === 0) {
          out.push(this.carry + chunk.slice(objectStart, i + 1));
          this.carry = '';
          this.inObject = false;
          objectStart = -1;
        }
      } else if (this.depth === 0 && c !== 44) {
        throw new Error('an array item is not an object');
      }
    }
    if (this.inObject) this.carry += chunk.slice(objectStart);
    return out;
  }

  /** Throws when the array was never closed: the file is truncated. */
  end(): void {
    if (this.state === 'before') throw new Error('it is empty');
    if (this.state !== 'after') throw new Error('it ends before the closing "]" (truncated)');
  }
}
