import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { CsvParser } from './csv-parser.ts';
import { JsonArraySplitter } from './json-array-splitter.ts';

export type ExportFormat = 'csv' | 'json';

/** Rows of a file as objects of column → value; the JSON rows are still raw (numbers, null). */
export type FileRow = Record<string, unknown>;

/** `.csv` / `.json` by name; otherwise the first character decides ('[' is JSON). */
export function detectFormat(path: string, firstChar: string | undefined): ExportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return 'json';
  return firstChar === '[' ? 'json' : 'csv';
}

async function* csvRows(chunks: AsyncIterable<string>): AsyncGenerator<FileRow> {
  const parser = new CsvParser();
  let header: string[] | undefined;
  const toRow = (cells: string[]): FileRow | undefined => {
    if (header === undefined) {
      header = cells.map((c) => c.trim());
      return undefined;
    }
    const row: FileRow = {};
    header.forEach((name, i) => (row[name] = cells[i] ?? ''));
    return row;
  };
  for await (const chunk of chunks) {
    for (const cells of parser.push(chunk)) {
      const row = toRow(cells);
      if (row) yield row;
    }
  }
  for (const cells of parser.end()) {
    const row = toRow(cells);
    if (row) yield row;
  }
  if (header === undefined) throw new Error('it has no header line');
}

// V8's parse errors quote the text, which holds record values: keep them out of the message.
function parseItem(text: string): FileRow {
  try {
    return JSON.parse(text) as FileRow;
  } catch {
    throw new Error('an array item is not valid JSON');
  }
}

async function* jsonRows(chunks: AsyncIterable<string>): AsyncGenerator<FileRow> {
  const splitter = new JsonArraySplitter();
  for await (const chunk of chunks) {
    for (const text of splitter.push(chunk)) yield parseItem(text);
  }
  splitter.end();
}

// Streams the rows of a REDCap export file, one at a time; the caller decides what to keep of each.
export async function* readExportFile(path: string, format: ExportFormat, signal: AbortSignal): AsyncGenerator<FileRow> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024, signal });
  try {
    yield* format === 'csv' ? csvRows(stream) : jsonRows(stream);
  } finally {
    stream.destroy();
  }
}
