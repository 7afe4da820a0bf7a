// `history alerts`: the alert log, newest first (as `history runs`), with each alert's delivery state per sink.
import { listAlerts, listDeliveries, type AlertDeliveryRow } from '../../history/queries-alerts.ts';
import { positiveIntOption, sinceOption } from '../args.ts';
import { write, writeJson, type CommandContext } from '../context.ts';
import { formatTable, truncate } from '../format.ts';

/** How many tries a delivery took so far, in words: `delivered`, `delivered after 2 attempts`, `pending, 3 attempts so far`. */
export function deliveryState(d: Pick<AlertDeliveryRow, 'state' | 'attempts'>): string {
  const attempts = `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
  if (d.state === 'pending') return d.attempts === 0 ? 'pending' : `pending, ${attempts} so far`;
  if (d.state === 'delivered' && d.attempts <= 1) return 'delivered';
  return `${d.state} after ${attempts}`;
}

/** `pager delivered`, `mail pending, 3 attempts so far`, `hook failed after 50 attempts`: one cell for every sink an alert went to. */
function deliveryCell(rows: readonly AlertDeliveryRow[] | undefined): string {
  if (!rows || rows.length === 0) return '-';
  return rows.map((d) => `${d.sink} ${deliveryState(d)}`).join(', ');
}

export async function alertsCommand(ctx: CommandContext): Promise<number> {
  const sinceMs = sinceOption(ctx.values, ctx.nowMs);
  const runId = positiveIntOption(ctx.values, 'run');
  const limit = positiveIntOption(ctx.values, 'limit', 100);
  const alerts = await listAlerts(ctx.db, { ...(sinceMs === undefined ? {} : { sinceMs }), ...(runId === undefined ? {} : { runId }), limit });
  const deliveries = await listDeliveries(ctx.db, alerts.map((a) => a.id));
  if (ctx.json) {
    await writeJson(ctx.io.stdout, {
      alerts: alerts.map((a) => ({
        ...a,
        deliveries: (deliveries.get(a.id) ?? []).map((d) => ({
          sink: d.sink, state: d.state, attempts: d.attempts, lastError: d.last_error, deliveredAtMs: d.delivered_at_ms,
          nextAttemptAtMs: d.state === 'pending' ? d.next_attempt_at_ms : null,
        })),
      })),
    });
    return 0;
  }
  if (alerts.length === 0) {
    await write(ctx.io.stdout, 'no alerts\n');
    return 0;
  }
  const rows = alerts.map((a) => [ctx.time(a.at_ms), a.level, a.kind, a.value === null ? '-' : a.value.toFixed(1), a.run_id === null ? '-' : String(a.run_id), deliveryCell(deliveries.get(a.id)), a.message]);
  await write(ctx.io.stdout, formatTable(['at', 'level', 'kind', 'value', 'run', 'delivery', 'message'], rows, new Set([3, 4])));
  // Why a delivery is still pending or was given up: the operator's next step (a wrong URL, a closed port).
  const troubled = alerts.flatMap((a) => (deliveries.get(a.id) ?? []).filter((d) => d.state !== 'delivered' && d.last_error !== null).map((d) => `  alert ${a.id} → ${d.sink} (${d.state}): ${truncate(d.last_error, 160)}`));
  if (troubled.length > 0) await write(ctx.io.stdout, `\nundelivered:\n${troubled.join('\n')}\n`);
  if (alerts.length === limit) await write(ctx.io.stdout, `showing the newest ${limit}; use --limit N or --since to see others\n`);
  return 0;
}
