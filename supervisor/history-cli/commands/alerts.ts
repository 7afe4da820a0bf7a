// `history alerts`: the alert log, oldest first.
import { listAlerts } from '../../history/queries-alerts.ts';
import { positiveIntOption, sinceOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatTable } from '../format.ts';

export async function alertsCommand(ctx: CommandContext): Promise<number> {
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  const runId = positiveIntOption(ctx.values, 'run');
  const limit = positiveIntOption(ctx.values, 'limit', 100);
  const alerts = await listAlerts(ctx.db, { ...(sinceMs === undefined ? {} : { sinceMs }), ...(runId === undefined ? {} : { runId }), limit });
  if (ctx.json) {
    await writeJson(ctx.io.stdout, { alerts });
    return 0;
  }
  if (alerts.length === 0) {
    await write(ctx.io.stdout, 'no alerts\n');
    return 0;
  }
  const rows = alerts.map((a) => [ctx.time(a.at_ms), a.level, a.kind, a.value === null ? '-' : a.value.toFixed(1), a.run_id === null ? '-' : String(a.run_id), a.message]);
  await write(ctx.io.stdout, formatTable(['at', 'level', 'kind', 'value', 'run', 'message'], rows, new Set([3, 4])));
  if (alerts.length === limit) await write(ctx.io.stdout, `showing the newest ${limit}; use --limit N or --since to see others\n`);
  return 0;
}
