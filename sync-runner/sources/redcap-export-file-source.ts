import { open } from 'node:fs/promises';
import { AppError } from '../../shared/errors/app-error.ts';
import { checkFields, PSEUDO_FIELDS, unknownFieldsWarning } from '../fields.ts';
import type { ReadRow } from '../records.ts';
import { interrupted } from './retry.ts';
import { detectFormat, readExportFile, type FileRow } from './export-file-rows.ts';
import { readRow } from './row-screen.ts';
import type { OpenedSource, SourceBatch } from './source.ts';

export interface ExportFileSourceOptions {
  readonly path: string;
  readonly requested: readonly string[];
  /** @default the file's first column, as REDCap puts the record id first */
  readonly recordIdField?: string;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

const invalid = (path: string, message: string, cause?: unknown) =>
  new AppError('EXPORT_FILE_INVALID', `export file ${path}: ${message}`, { cause });

async function firstCharacter(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart()[0];
  } finally {
    await handle.close();
  }
}

// A REDCap export file (JSON or CSV) read as a stream of whole records, batchSize records at a time.
// Exports list a record's rows together, so grouping within a batch is enough to keep each record whole.
export async function openExportFileSource(options: ExportFileSourceOptions): Promise<OpenedSource> {
  const { path } = options;
  let first: string | undefined;
  try {
    first = await firstCharacter(path);
  } catch (error) {
    throw invalid(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, error);
  }
  if (first === undefined) throw invalid(path, 'is empty');
  const format = detectFormat(path, first);
  const groups = readExportFile(path, format, options.signal);
  const head = await groups.next().catch((error: unknown) => {
    throw options.signal.aborted ? interrupted(error) : invalid(path, `is not a readable ${format.toUpperCase()} export: ${(error as Error).message}`, error);
  });
  const firstRow = head.done ? undefined : head.value[0];
  const columns = firstRow === undefined ? [] : Object.keys(firstRow);
  const idColumn = options.recordIdField ?? columns[0];
  if (idColumn === undefined || (firstRow !== undefined && !(idColumn in firstRow))) {
    // Closed before the refusal, as nobody will read on: the file, and the reader thread of a large JSON export.
    await groups.return(undefined);
    throw invalid(path, `has no record id column${idColumn ? ` "${idColumn}"` : ''}`);
  }
  const idField: string = idColumn;
  const { fields, unknown } = checkFields(options.requested, [idField, ...columns.filter((c) => c !== idField)]);
  const warnings = unknown.length > 0 ? [unknownFieldsWarning(unknown, 'the export file\'s columns')] : [];
  const keep = new Set([...fields, ...PSEUDO_FIELDS]);

  async function* batches(): AsyncGenerator<SourceBatch> {
    let batch = new Map<string, ReadRow[]>();
    const toRead = (value: FileRow): ReadRow => {
      const row = readRow(value, keep);
      if (row === undefined) throw invalid(path, 'holds an item that is not a record');
      return row;
    };
    try {
      const pending = head.done ? [] : [head.value];
      for await (const group of prepend(pending, groups)) {
        for (const value of group) {
          const row = toRead(value);
          const id = row.row[idField] ?? '';
          const rowsOfRecord = batch.get(id);
          if (rowsOfRecord) {
            rowsOfRecord.push(row);
            continue;
          }
          // Only cut before a new record, so every record in a batch is whole.
          if (batch.size >= options.batchSize) {
            yield { records: [...batch.values()] };
            batch = new Map();
            if (options.signal.aborted) return;
          }
          batch.set(id, [row]);
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw options.signal.aborted ? interrupted(error) : invalid(path, `is not a valid ${format.toUpperCase()} export: ${(error as Error).message}`, error);
    }
    if (batch.size > 0) yield { records: [...batch.values()] };
  }
  return { warnings, totalRecords: undefined, idField, facts: { format, idField, fields: fields.length }, batches: batches() };
}

async function* prepend<T>(first: readonly T[], rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield* first;
  yield* rest;
}
