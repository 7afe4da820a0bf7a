// PURE: a finished run → the healthcheck ping it sends: the plain URL on success, `/fail` with a summary otherwise.
import type { HistoryHint } from '../history/history-command.ts';
import { bytesToMb } from '../../shared/units.ts';
import type { RunReport } from '../vocabulary/run-report.ts';

/**
 * The summary names the run, how it ended and its memory: never the runner's error text, which can quote a REDCap
 * record. An interrupted run (a shutdown) sends nothing: it neither succeeded nor failed.
 */
export function healthcheckPing(runId: number, report: RunReport, history: HistoryHint): { path: string; body?: string } | undefined {
  if (report.status === 'ok') return { path: '' };
  if (report.status === 'interrupted' || report.status === 'running' || report.status === 'skipped') return undefined;
  const ended = report.signal ? `signal ${report.signal}` : `exit ${report.exitCode ?? 'n/a'}`;
  const peak = report.peakRssBytes === null ? 'n/a' : `${bytesToMb(report.peakRssBytes, 1)} MB`;
  return {
    path: '/fail',
    body: `sync-supervisor run ${runId} ${report.status}${report.reason ? ` (${report.reason})` : ''}: ${ended}, peak tree RSS ${peak}${report.forceKilled ? ', force-killed' : ''}; see \`${history(['run', String(runId)])}\`\n`,
  };
}
