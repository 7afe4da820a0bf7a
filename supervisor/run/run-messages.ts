import type { ResultMessage } from '../../shared/protocol.ts';
import { toMb } from '../memory/decide.ts';
import type { TreeSample } from '../memory/memory-watch.ts';
import type { RunReport } from './run-report.ts';

// The operator-facing sentences about a run, in one place so logs and alerts say the same thing.

export const lookUp = (runId: number): string => `see \`npm run history -- run ${runId}\``;

export function killMessage(runId: number, sample: TreeSample, limitMb: number, hard: boolean): string {
  const line = hard ? 'hard limit' : 'emergency limit';
  return `runner killed: tree RSS ${toMb(sample.rssBytes)} MB exceeded ${line} ${limitMb} MB (${sample.pidCount} processes); run ${runId}; ${lookUp(runId)}`;
}

export function warnMessage(runId: number, sample: TreeSample, warnMb: number): string {
  return `runner memory high: tree RSS ${toMb(sample.rssBytes)} MB reached warning line ${warnMb} MB (${sample.pidCount} processes); run ${runId}`;
}

export function timeoutMessage(runId: number, timeoutMs: number): string {
  return `runner stopped: run ${runId} exceeded run.timeoutMs ${timeoutMs} ms; ${lookUp(runId)}`;
}

function resultSummary(result: ResultMessage): string {
  return result.sources
    .map((s) => `${s.name} ${s.status}${s.reason ? ` (${s.reason})` : ''}: +${s.inserted} ~${s.updated} =${s.unchanged}`)
    .join('; ');
}

/** One line per finished run: status, time, peak, and the runner's own counts when it sent them. */
export function runSummary(runId: number, attempt: number, report: RunReport, durationMs: number): string {
  const peak = report.peakRssBytes === null ? 'n/a' : `${toMb(report.peakRssBytes)} MB`;
  const exit = report.signal ? `signal ${report.signal}` : `exit ${report.exitCode ?? 'n/a'}`;
  const why = report.reason ? ` reason ${report.reason}` : '';
  const counts = report.result ? ` | ${resultSummary(report.result)}` : '';
  return `run ${runId} (attempt ${attempt}) ${report.status}${why} in ${durationMs} ms, ${exit}, peak ${peak}${report.forceKilled ? ', force-killed' : ''}${counts}`;
}
