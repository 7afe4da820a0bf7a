import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** One CSV record as column → text, named by the header line. */
export type CsvRow = Record<string, string>;

/**
 * A record longer than this is refused: it is almost always a quote that is never closed, which would otherwise
 * make the rest of the file one field held in memory. REDCap's longest notes fields are far below it.
 */
export const MAX_CSV_RECORD_BYTES = 8 * 1024 * 1024;

/** A CSV export csv-parse could not read; the message names the line (and field) and never quotes the content. */
export class CsvExportError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

// Streams the records of a CSV export (RFC 4180: quoted fields, "" escapes, line breaks in quotes, CRLF or LF,
// a BOM), the first line naming the columns. A short record's missing cells are '', as REDCap writes no trailing
// commas for empty fields at the end of some exports; cells beyond the header are ignored.
export async function* csvRows(bytes: Readable): AsyncGenerator<CsvRow> {
  let header: string[] | undefined;
  /** The line the last whole record ended on: the next one starts after it. */
  let lastLine = 0;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_CSV_RECORD_BYTES,
    // Runs as each record is parsed, ahead of the records the loop below has taken: an error raised while
    // records are still buffered must name the line and column of where the parser is, not of the loop.
    on_record: (record: string[], { lines }) => {
      header ??= record.map((name) => name.trim());
      lastLine = lines;
      return record;
    },
  });
  // pipeline, not pipe: a read error (or an abort) reaches the parser, and a caller that stops early closes the file.
  pipeline(bytes, parser, () => {});
  let first = true;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (first) {
        first = false;
        continue;
      }
      const row: CsvRow = {};
      header?.forEach((name, i) => (row[name] = record[i] ?? ''));
      yield row;
    }
  } catch (error) {
    throw error instanceof CsvError ? describe(error, header, lastLine + 1) : error;
  }
  if (header === undefined) throw new CsvExportError('it has no header line', undefined);
}

function describe(error: CsvError, header: readonly string[] | undefined, recordLine: number): CsvExportError {
  const line = typeof error.lines === 'number' ? error.lines : recordLine;
  const index = typeof error.column === 'number' ? error.column : undefined;
  const name = index === undefined ? undefined : header?.[index];
  const field = index === undefined ? '' : `, field ${index + 1}${name ? ` ("${name}")` : ''}`;
  // csv-parse's own message quotes the field's text, which is record content: only its code and position are used,
  // and it is not kept as the cause either.
  switch (error.code) {
    case 'INVALID_OPENING_QUOTE':
      return new CsvExportError(`a quote inside an unquoted field on line ${line}${field}; quote the whole field and double the quote ("")`, line);
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvExportError(`text after a closing quote on line ${line}${field}`, line);
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvExportError(`a quoted field in the record starting on line ${recordLine}${field} is never closed (the file ends on line ${line})`, recordLine);
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvExportError(`the record starting on line ${recordLine} is longer than ${MAX_CSV_RECORD_BYTES} bytes by line ${line}: most likely a quote that is never closed`, recordLine);
    default:
      return new CsvExportError(`cannot be read as CSV on line ${line}${field} (${error.code})`, line);
  }
}
