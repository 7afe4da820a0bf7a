import { AppError } from '../../shared/errors/app-error.ts';
import type { RedcapCredentials } from '../credentials.ts';
import { PSEUDO_FIELDS } from '../fields.ts';
import type { ReadRow } from '../records.ts';
import { streamRedcapArray } from './redcap-stream.ts';
import { readRow } from './row-screen.ts';
import { SNAPSHOT_FIELDS, type SnapshotSource } from './snapshot-source.ts';
import type { SourceBatch } from './source.ts';

export interface RedcapSnapshotOptions {
  readonly credentials: RedcapCredentials;
  readonly idField: string;
  /** The answer's limit: a whole project in one answer takes longer than a batch. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

const EXPORT: [string, string][] = [['content', 'record'], ['format', 'json'], ['type', 'flat'], ['rawOrLabel', 'raw']];

// The snapshot over the API: one export of the identifying fields of every record, no date range, read as a stream.
// One request (REDCap counts every one against its 600 a minute) and no id list held first: rows are folded into
// whole records as they arrive. REDCap lists a record's rows together, so a record is whole once the next one begins.
export function openRedcapSnapshot(options: RedcapSnapshotOptions): Promise<SnapshotSource> {
  const { idField } = options;
  const fields = [idField, ...SNAPSHOT_FIELDS];
  const keep = new Set([...fields, ...PSEUDO_FIELDS]);
  const what = 'content=record (snapshot of every record\'s identifying fields)';
  const params: [string, string][] = [...EXPORT, ...fields.map((f, i) => [`fields[${i}]`, f] as [string, string])];
  async function* batches(): AsyncGenerator<SourceBatch> {
    let open: ReadRow[] = [];
    const seen = new Set<string>();
    for await (const items of streamRedcapArray(options, params, what)) {
      const whole: ReadRow[][] = [];
      for (const item of items) {
        const row = readRow(item, keep);
        if (row === undefined) throw new AppError('SNAPSHOT_INCOMPLETE', `REDCap answered ${what} with an array whose items are not records`);
        const id = row.row[idField] ?? '';
        if (open.length > 0 && open[0]?.row[idField] !== id) {
          whole.push(open);
          open = [];
        }
        if (open.length === 0) {
          // A record seen again after others would be counted twice and judged on part of its rows.
          if (seen.has(id)) throw new AppError('SNAPSHOT_INCOMPLETE', `REDCap answered ${what} with the rows of record ${JSON.stringify(id.slice(0, 40))} apart from each other`);
          seen.add(id);
        }
        open.push(row);
      }
      if (whole.length > 0) yield { records: whole };
    }
    if (open.length > 0) yield { records: [open] };
  }
  return Promise.resolve({ idField, listedRecords: undefined, batches: batches() });
}
