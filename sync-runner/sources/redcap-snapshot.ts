import { AppError } from '../../shared/errors/app-error.ts';
import { PSEUDO_FIELDS } from '../fields.ts';
import { groupByRecord } from '../records.ts';
import type { RedcapClient } from './redcap-client.ts';
import { readRow, screenBatch, type ReadRow } from './row-screen.ts';
import { SNAPSHOT_FIELDS, type SnapshotSource } from './snapshot-source.ts';
import type { SourceBatch } from './source.ts';

export interface RedcapSnapshotOptions {
  readonly client: RedcapClient;
  readonly idField: string;
  readonly signal: AbortSignal;
  /** Records per request. @default SNAPSHOT_BATCH_RECORDS */
  readonly batchRecords?: number;
}

// Four short fields per row: 5,000 records is about 1.5 MB of JSON per answer, so a 100k-record project takes 21
// requests (the id list and 20 batches), far under REDCap's 600 per minute, and each answer is read whole within bounds.
export const SNAPSHOT_BATCH_RECORDS = 5000;

const EXPORT: [string, string][] = [['content', 'record'], ['format', 'json'], ['type', 'flat'], ['rawOrLabel', 'raw']];

function readAll(values: readonly unknown[], keep: ReadonlySet<string>, what: string): ReadRow[] {
  return values.map((value) => {
    const row = readRow(value, keep);
    if (row === undefined) throw new AppError('SNAPSHOT_INCOMPLETE', `REDCap answered ${what} with an array whose items are not records`);
    return row;
  });
}

// The snapshot over the API: every record id with no date range, then the identifying fields in batches of records.
// A batch that brings back fewer records than it asked for (a glitch, or records deleted meanwhile) makes the
// snapshot incomplete: a missing record would otherwise read as a deleted one.
export async function openRedcapSnapshot(options: RedcapSnapshotOptions): Promise<SnapshotSource> {
  const { client, idField } = options;
  const what = 'content=record (snapshot: every record id)';
  const idRows = readAll(await client.exportArray([...EXPORT, ['fields[0]', idField]], what), new Set([idField]), what);
  const ids = [...new Set(idRows.map((r) => r.row[idField] ?? '').filter((id) => id !== ''))];
  if (idRows.some((r) => r.refused.length > 0)) throw new AppError('SNAPSHOT_INCOMPLETE', 'the snapshot\'s id export holds record ids that are not text');
  const fields = [idField, ...SNAPSHOT_FIELDS];
  const keep = new Set([...fields, ...PSEUDO_FIELDS]);
  const size = options.batchRecords ?? SNAPSHOT_BATCH_RECORDS;
  const count = Math.ceil(ids.length / size);
  async function* batches(): AsyncGenerator<SourceBatch> {
    for (let b = 0; b < count; b++) {
      if (options.signal.aborted) return;
      const slice = ids.slice(b * size, (b + 1) * size);
      const batchWhat = `content=record (snapshot batch ${b + 1} of ${count})`;
      const params: [string, string][] = [...EXPORT, ...fields.map((f, i) => [`fields[${i}]`, f] as [string, string]), ...slice.map((id, i) => [`records[${i}]`, id] as [string, string])];
      const records = groupByRecord(readAll(await client.exportArray(params, batchWhat), keep, batchWhat), (r) => r.row[idField] ?? '');
      if (records.length < slice.length) throw new AppError('SNAPSHOT_INCOMPLETE', `${batchWhat} returned ${records.length} of the ${slice.length} records it asked for`);
      yield screenBatch(records, idField);
    }
  }
  return { idField, listedRecords: ids.length, batches: batches() };
}
