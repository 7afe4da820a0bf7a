import { AppError } from '../../shared/errors/app-error.ts';
import { checkFields, PSEUDO_FIELDS, unknownFieldsWarning } from '../fields.ts';
import { groupByRecord, type ReadRow } from '../records.ts';
import type { RedcapClient, FormParams } from './redcap-client.ts';
import { readRow } from './row-screen.ts';
import type { OpenedSource, SourceBatch } from './source.ts';

export interface RedcapApiSourceOptions {
  readonly client: RedcapClient;
  readonly requested: readonly string[];
  /** `YYYY-MM-DD HH:MM:SS`; absent for a full import. */
  readonly dateRangeBegin?: string;
  readonly batchSize: number;
  readonly signal: AbortSignal;
}

const EXPORT_PARAMS: FormParams = [
  ['content', 'record'],
  ['format', 'json'],
  ['type', 'flat'],
  ['rawOrLabel', 'raw'],
];

const fieldParams = (fields: readonly string[]): [string, string][] => fields.map((f, i) => [`fields[${i}]`, f]);

function rowsOf(values: readonly unknown[], keep: ReadonlySet<string> | undefined, what: string): ReadRow[] {
  return values.map((value) => {
    const row = readRow(value, keep);
    if (row === undefined) throw new AppError('REDCAP_BAD_RESPONSE', `REDCap answered ${what} with an array whose items are not records`);
    return row;
  });
}

// Two steps keep memory bounded whatever the project's size: the ids of changed records, then their fields in batches.
export async function openRedcapApiSource(options: RedcapApiSourceOptions): Promise<OpenedSource> {
  const { client } = options;
  const version = (await client.exportText([['content', 'version']], 'content=version')).trim().slice(0, 40);
  const metadata = await client.exportArray([['content', 'metadata'], ['format', 'json']], 'content=metadata');
  const projectFields = metadata.map((m) => (typeof m === 'object' && m !== null ? (m as { field_name?: unknown }).field_name : undefined)).filter((f): f is string => typeof f === 'string');
  const { fields, unknown } = checkFields(options.requested, projectFields);
  const firstField = fields[0];
  if (firstField === undefined) throw new AppError('REDCAP_BAD_RESPONSE', 'REDCap answered content=metadata with no fields; the record id field is unknown');
  const idField: string = firstField;
  const warnings = unknown.length > 0 ? [unknownFieldsWarning(unknown, 'the REDCap project metadata')] : [];

  const range: [string, string][] = options.dateRangeBegin === undefined ? [] : [['dateRangeBegin', options.dateRangeBegin]];
  const idRows = rowsOf(await client.exportArray([...EXPORT_PARAMS, ...fieldParams([idField]), ...range], 'content=record (record ids)'), new Set([idField]), 'content=record (record ids)');
  const ids = [...new Set(idRows.map((r) => r.row[idField] ?? '').filter((id) => id !== ''))];
  const unreadableIds = idRows.filter((r) => r.refused.length > 0).length;
  if (unreadableIds > 0) warnings.push(`${unreadableIds} record id(s) in the id export are not text (e.g. an object or null); those records were skipped`);
  idRows.length = 0;

  const keep = new Set([...fields, ...PSEUDO_FIELDS]);
  const batchCount = Math.ceil(ids.length / options.batchSize);
  async function* batches(): AsyncGenerator<SourceBatch> {
    for (let b = 0; b < batchCount; b++) {
      if (options.signal.aborted) return;
      const slice = ids.slice(b * options.batchSize, (b + 1) * options.batchSize);
      const what = `content=record (batch ${b + 1} of ${batchCount}, ${slice.length} records)`;
      const recordParams = slice.map((id, i) => [`records[${i}]`, id] as [string, string]);
      const rows = rowsOf(await client.exportArray([...EXPORT_PARAMS, ...fieldParams(fields), ...recordParams], what), keep, what);
      yield { records: groupByRecord(rows, (r) => r.row[idField] ?? '') };
    }
  }
  return { warnings, totalRecords: ids.length, idField, facts: { redcapVersion: version, idField, fields: fields.length }, batches: batches() };
}
