// `history export`: one table as CSV / JSON, streamed page by page from SQLite to the output with backpressure.
import type { Writable } from 'node:stream';
import { AppError } from '../../../shared/errors/app-error.ts';
import { EXPORT_TABLES, exportColumns, exportQuery } from '../../history/queries-export.ts';
import { pagedRows } from '../../history/queries-paged.ts';
import { choiceOption, positiveIntOption, sinceOption, stringOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { EXPORT_FORMATS, rowEncoder } from '../export-format.ts';
import { openOutputFile, outputFailed, resolveOut } from '../output-file.ts';

export async function exportCommand(ctx: CommandContext): Promise<number> {
  const table = choiceOption(ctx.values, 'table', EXPORT_TABLES);
  const format = choiceOption(ctx.values, 'format', EXPORT_FORMATS);
  if (!table || !format) throw new AppError('USAGE', 'export needs --table runs|memory_history|alerts and --format csv|json|jsonl');
  const runId = positiveIntOption(ctx.values, 'run');
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  const columns = await exportColumns(ctx.db, table);
  const outArg = stringOption(ctx.values, 'out');
  const outPath = outArg === undefined ? undefined : resolveOut(ctx.io.cwd, outArg);
  const file = outPath === undefined ? undefined : await openOutputFile(outPath, ctx.dbPath);
  const sink: Writable = file?.stream ?? ctx.io.stdout;
  const query = exportQuery(table, columns, { ...(runId === undefined ? {} : { runId }), ...(sinceMs === undefined ? {} : { sinceMs }) });
  const encoder = rowEncoder(format, columns);
  let rows = 0;
  let chunk = encoder.header;
  try {
    for await (const row of pagedRows<{ id: number }>(ctx.db, query)) {
      chunk += encoder.row(row, rows++);
      // ~64 KB writes: one syscall per many rows, still bounded memory.
      if (chunk.length >= 65_536) {
        await write(sink, chunk);
        chunk = '';
      }
    }
    await write(sink, chunk + encoder.footer);
  } catch (error) {
    file?.abort();
    // A query error is ours to report as is; a failed write to the file is the operator's disk or path.
    if (outPath !== undefined && (error as NodeJS.ErrnoException).syscall !== undefined) throw outputFailed(outPath, error);
    throw error;
  }
  if (file && outPath) {
    await file.commit();
    const summary = { table, format, rows, out: outPath };
    if (ctx.json) await writeJson(ctx.io.stdout, summary);
    else await write(ctx.io.stdout, `exported ${rows} rows of ${table} as ${format} to ${outPath}\n`);
  }
  return 0;
}
