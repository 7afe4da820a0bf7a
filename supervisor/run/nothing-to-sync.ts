// A run that ends ok having synced no source at all (its Pylantir config enables none) did nothing: under cron it
// would exit 0 every 5 minutes and say nothing. Its row says so (reason `nothing-to-sync`) and the log warns.
import type { RunReport } from '../vocabulary/run-report.ts';

export const NOTHING_TO_SYNC = 'nothing-to-sync';

/** PURE: the report to record; an ok run whose runner reported an empty source list gets the reason. */
export function markNothingToSync(report: RunReport): RunReport {
  if (report.status !== 'ok' || report.reason !== null || report.result === null || report.result.sources.length > 0) return report;
  return { ...report, reason: NOTHING_TO_SYNC };
}

export function nothingToSyncMessage(runId: number, pylantirConfig: string): string {
  return `run ${runId} synced nothing (reason ${NOTHING_TO_SYNC}): the runner found no enabled data source in ${pylantirConfig}; `
    + 'enable one there (`check-config` fails on this config). To turn Pylantir\'s own sync off, change Pylantir\'s config, not this one';
}
