import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { JsonArrayItems } from './json-array-items.ts';

export type ExportFormat = 'csv' | 'json';

/** Rows of a file as objects of column → value; the JSON rows are still raw (numbers, null). */
export type FileRow = Record<string, unknown>;

// From this size a JSON export is read on a thread of its own. The thread costs some 50 ms before its first rows
// (starting, and running the library's code while still cold), which a 2 MB export does not earn back and a 5 MB one
// does (the 100k-record bench export is 49 MB).
export const JSON_THREAD_FROM_BYTES = 4 * 1024 * 1024;

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
  // csv-parse loads only for a CSV export, as the reader thread does only for a large JSON one: a runner's start-up
  // time is mostly module loading.
  const { csvRows } = await import('./csv-rows.ts');
  for await (const row of csvRows(bytes)) yield [row];
}

// Streams the rows of a REDCap export file as they are read, a few at a time; the caller decides what to keep of each.
// Rows go by in groups, not one by one: each step through an async generator costs a few promise turns, and a
// 100k-record export has several hundred thousand rows. A large JSON export is read on a second thread
// (json-export-thread.ts), with the same checks and errors as here.
export async function* readExportFile(path: string, format: ExportFormat, signal: AbortSignal, jsonThreadFromBytes = JSON_THREAD_FROM_BYTES): AsyncGenerator<FileRow[]> {
  if (format === 'json' && (await stat(path)).size >= jsonThreadFromBytes) {
    const { jsonItemsInThread } = await import('./json-export-thread.ts');
    // The items are only known to be objects: the caller's row screen refuses any nested value.
    return yield* jsonItemsInThread(path, signal) as AsyncGenerator<FileRow[]>;
  }
  // Bytes, not text: both parsers decode UTF-8 themselves, and the JSON reader counts positions in bytes.
  const stream: Readable = createReadStream(path, { highWaterMark: 256 * 1024, signal });
  try {
    yield* format === 'csv' ? csvRowGroups(stream) : jsonRows(stream);
  } finally {
    stream.destroy();
  }
}
