import type { LifecyclePlan, OwnedRow } from '../worklist/lifecycle-plan.ts';
import type { RunLog } from './run-log.ts';

/** Rows named one per line for each kind; the rest are counted. A mass deletion still makes a short log. */
export const MAX_LOGGED_ROWS = 10;
/** Record ids are printed, never values; a hostile id is cut to this. */
const MAX_ID_CHARS = 40;

const quote = (id: string) => JSON.stringify(id.length > MAX_ID_CHARS ? `${id.slice(0, MAX_ID_CHARS)}…` : id);
const describe = (row: OwnedRow) => `row ${row.rowId} (record ${quote(row.record)}, instance ${quote(row.instance)}, ${row.status ?? 'no status'})`;

// The step's log: one summary line, then the first rows of each kind with their reason. Row ids, record ids and
// instances only: a patient id is in the journal (and history), never in a log line.
export function logLifecyclePlan(log: RunLog, source: string, plan: LifecyclePlan, dryRun: boolean): void {
  const prefix = `source ${source} lifecycle${dryRun ? ' (dry run: nothing changed)' : ''}`;
  const would = dryRun || plan.refused !== undefined ? 'would ' : '';
  const summary = { hide: plan.hide.length, restore: plan.restore.length, kept: plan.kept.length, visible: plan.visible };
  if (plan.refused !== undefined) {
    log.error(`${prefix}: refused [${plan.refused.code}]: ${plan.refused.message}; nothing was hidden or restored`, { ...summary, wouldHide: plan.refused.wouldHide });
  } else {
    log.info(`${prefix}: ${would}hide ${plan.hide.length}, ${would}restore ${plan.restore.length}, kept ${plan.kept.length} of ${plan.visible} visible`, summary);
  }
  const lines: [string, readonly { row: OwnedRow; reason: string }[]][] = [
    [`${would}hide`, plan.hide],
    [`${would}restore`, plan.restore],
    ['kept (not SCHEDULED, the scanner\'s)', plan.kept],
  ];
  for (const [verb, items] of lines) {
    for (const item of items.slice(0, MAX_LOGGED_ROWS)) log.info(`${prefix}: ${verb} ${describe(item.row)}: ${item.reason}`);
    if (items.length > MAX_LOGGED_ROWS) log.info(`${prefix}: ${verb}: and ${items.length - MAX_LOGGED_ROWS} more`);
  }
}
