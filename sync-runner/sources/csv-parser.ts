// An incremental RFC 4180 reader: quoted fields, "" escapes, commas and line breaks inside quotes, CRLF or LF.
// It is fed chunks and hands back only complete records, so a file of any size is read in bounded memory.
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** A quote inside a quoted field: either the end of the field or the first half of "". */
  private quotePending = false;
  private started = false;

  /** Adds a chunk and returns the records it completed. */
  push(chunk: string): string[][] {
    const out: string[][] = [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let runStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.quotePending) {
        this.quotePending = false;
        if (c === 34) {
          // "" inside quotes: keep one quote and stay quoted.
          this.field += '"';
          runStart = i + 1;
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (c === 34) {
          this.field += text.slice(runStart, i);
          this.quotePending = true;
          runStart = i + 1;
        }
        continue;
      }
      if (c === 34) {
        this.field += text.slice(runStart, i);
        this.inQuotes = true;
        runStart = i + 1;
      } else if (c === 44) {
        this.record.push(this.field + text.slice(runStart, i));
        this.field = '';
        runStart = i + 1;
      } else if (c === 10 || c === 13) {
        // CRLF ends the record at CR; the LF then closes a blank line, which finishRecord drops.
        this.field += text.slice(runStart, i);
        this.finishRecord(out);
        runStart = i + 1;
      }
    }
    this.field += text.slice(runStart);
    return out;
  }

  /** Flushes the last record when the file does not end with a line break; throws on an unclosed quote. */
  end(): string[][] {
    if (this.inQuotes && !this.quotePending) throw new Error('the file ends inside a quoted field');
    const out: string[][] = [];
    if (this.field !== '' || this.record.length > 0) this.finishRecord(out);
    return out;
  }

  private finishRecord(out: string[][]): void {
    this.record.push(this.field);
    this.field = '';
    // Blank lines carry no record.
    if (!(this.record.length === 1 && this.record[0] === '')) out.push(this.record);
    this.record = [];
  }
}
