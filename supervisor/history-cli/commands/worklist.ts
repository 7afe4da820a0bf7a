// `history worklist`: the worklist status changes the sync made (rows hidden as CANCELED, restored), oldest first.
import { countWorklistChanges, hasWorklistChanges, listWorklistChanges, worklistChangeView, type WorklistChangeRow } from '../../history/queries-worklist.ts';
import { positiveIntOption, sinceOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatTable, truncate } from '../format.ts';

const DEFAULT_LIMIT = 100;

/** `1042/2`: the REDCap record and its MRI instance, as the operator looks them up in REDCap. */
export function recordCell(row: Pick<WorklistChangeRow, 'record' | 'instance'>): string {
  return row.instance === null ? row.record : `${row.record}/${row.instance}`;
}

export async function worklistCommand(ctx: CommandContext): Promise<number> {
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  const runId = positiveIntOption(ctx.values, 'run');
  const limit = positiveIntOption(ctx.values, 'limit', DEFAULT_LIMIT);
  const filter = { ...(sinceMs === undefined ? {} : { sinceMs }), ...(runId === undefined ? {} : { runId }) };
  const [changes, total] = await Promise.all([listWorklistChanges(ctx.db, { ...filter, limit }), countWorklistChanges(ctx.db, filter)]);
  if (ctx.json) {
    await writeJson(ctx.io.stdout, { total, changes: changes.map(worklistChangeView) });
    return 0;
  }
  if (changes.length === 0) {
    const why = (await hasWorklistChanges(ctx.db)) ? (sinceMs === undefined && runId === undefined ? 'recorded yet' : 'match') : 'recorded (this history.db predates schema 4, which added them)';
    await write(ctx.io.stdout, `no worklist status changes ${why} in ${ctx.dbPath}\n`);
    return 0;
  }
  const rows = changes.map((c) => [
    ctx.time(c.at_ms), String(c.row_id), truncate(c.patient_id, 40), `${c.from_status} → ${c.to_status}`, c.reason, truncate(recordCell(c), 40),
    truncate(c.source, 32), c.run_id === null ? '-' : String(c.run_id),
  ]);
  await write(ctx.io.stdout, formatTable(['at', 'row', 'patient_id', 'status', 'reason', 'record/instance', 'source', 'run'], rows, new Set([1, 7])));
  if (total > changes.length) await write(ctx.io.stdout, `showing the newest ${changes.length} of ${total}; use --limit N, --since or --run to see others\n`);
  return 0;
}
