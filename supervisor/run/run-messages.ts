import type { ResultMessage } from '../../shared/protocol.ts';
import { bytesToMb } from '../../shared/units.ts';
import type { TreeSample } from '../memory/memory-watch.ts';
import type { RunReport } from '../vocabulary/run-report.ts';
import { historyCommand, type HistoryTarget } from '../history/history-command.ts';
import { failureText, runFailure } from '../history/run-failure.ts';

// The operator-facing sentences about a run, in one place so logs and alerts say the same thing.

export const lookUp = (runId: number, target: HistoryTarget): string => `see \`${historyCommand(target, ['run', String(runId)])}\``;

/** "1 process", "3 processes". */
export const processes = (count: number): string => `${count} ${count === 1 ? 'process' : 'processes'}`;

export function killMessage(runId: number, sample: TreeSample, limitMb: number, hard: boolean, target: HistoryTarget): string {
  const line = hard ? 'hard limit' : 'emergency limit';
  return `runner killed: tree RSS ${bytesToMb(sample.rssBytes, 1)} MB exceeded ${line} ${limitMb} MB (${processes(sample.pidCount)}); run ${runId}; ${lookUp(runId, target)}`;
}

export function warnMessage(runId: number, sample: TreeSample, warnMb: number): string {
  return `runner memory high: tree RSS ${bytesToMb(sample.rssBytes, 1)} MB reached warning line ${warnMb} MB (${processes(sample.pidCount)}); run ${runId}`;
}

/** A spike at the emergency line, tolerated for memory.sustainMs: the run is stopped only if it stays there. */
export function toleratingMessage(runId: number, sample: TreeSample, emergencyMb: number, sustainMs: number): string {
  return `runner memory at the emergency line: tree RSS ${bytesToMb(sample.rssBytes, 1)} MB reached ${emergencyMb} MB (${processes(sample.pidCount)}); run ${runId} is stopped if it stays there ${sustainMs} ms (memory.sustainMs)`;
}

export function timeoutMessage(runId: number, timeoutMs: number, target: HistoryTarget): string {
  return `runner stopped: run ${runId} exceeded run.timeoutMs ${timeoutMs} ms; ${lookUp(runId, target)}`;
}

function resultSummary(result: ResultMessage): string {
  return result.sources
    .map((s) => `${s.name} ${s.status}${s.reason ? ` (${s.reason})` : ''}: +${s.inserted} ~${s.updated} =${s.unchanged}`)
    .join('; ');
}

/** One line per finished run: status, time, peak, the runner's own counts when it sent them, and why it failed. */
export function runSummary(runId: number, attempt: number, report: RunReport, durationMs: number): string {
  const peak = report.peakRssBytes === null ? 'n/a' : `${bytesToMb(report.peakRssBytes, 1)} MB`;
  const exit = report.signal ? `signal ${report.signal}` : `exit ${report.exitCode ?? 'n/a'}`;
  const why = report.reason ? ` reason ${report.reason}` : '';
  const counts = report.result ? ` | ${resultSummary(report.result)}` : '';
  const failure = runFailure(report.error, report.result);
  const because = failure ? ` | why: ${failureText(failure)}` : '';
  return `run ${runId} (attempt ${attempt}) ${report.status}${why} in ${durationMs} ms, ${exit}, peak ${peak}${report.forceKilled ? ', force-killed' : ''}${report.stragglersKilled > 0 ? `, ${report.stragglersKilled} straggler(s) SIGKILLed after it` : ''}${counts}${because}`;
}
