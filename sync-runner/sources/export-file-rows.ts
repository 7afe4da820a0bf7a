import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { csvRows } from './csv-rows.ts';
import { JsonArrayItems } from './json-array-items.ts';

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

async function* jsonRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<FileRow[]> {
  const items = new JsonArrayItems();
  for await (const chunk of chunks) {
    const rows = items.push(chunk) as FileRow[];
    if (rows.length > 0) yield rows;
  }
  items.end();
}

async function* csvRowGroups(bytes: Readable): AsyncGenerator<FileRow[]> {
  for await (const row of csvRows(bytes)) yield [row];
}

// Streams the rows of a REDCap export file as they are read, a few at a time; the caller decides what to keep of each.
// Rows go by in groups, not one by one: each step through an async generator costs a few promise turns, and a
// 100k-record export has several hundred thousand rows.
export async function* readExportFile(path: string, format: ExportFormat, signal: AbortSignal): AsyncGenerator<FileRow[]> {
  // Bytes, not text: both parsers decode UTF-8 themselves, and the JSON reader counts positions in bytes.
  const stream: Readable = createReadStream(path, { highWaterMark: 256 * 1024, signal });
  try {
    yield* format === 'csv' ? csvRowGroups(stream) : jsonRows(stream);
  } finally {
    stream.destroy();
  }
}
