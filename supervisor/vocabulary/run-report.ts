import type { ResultMessage } from '../../shared/protocol.ts';
import type { RunStatus } from './words.ts';

/** What one finished child run amounts to, ready to be written to its `runs` row. */
export interface RunReport {
  readonly status: RunStatus;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** The grace period ran out (or the hard limit was crossed) and SIGKILL ended the run: nothing else. */
  readonly forceKilled: boolean;
  /** Processes that outlived the run's end (escaped helpers, stragglers in its group), SIGKILLed after it. */
  readonly stragglersKilled: number;
  readonly peakRssBytes: number | null;
  readonly peakPidCount: number | null;
  readonly sampleCount: number;
  readonly warnedAtMs: number | null;
  /** The first sample at or over emergencyMb in the run (the crossing), also when sustainMs tolerated it and no stop followed. */
  readonly emergencyAtMs: number | null;
  /** When the supervisor decided to stop the run (SIGTERM, or SIGKILL above the hard limit), for any reason. */
  readonly terminatedAtMs: number | null;
  readonly error: string | null;
  readonly result: ResultMessage | null;
}

/** The report of a run whose supervision broke before the child's end was seen: closed as `failed`, with why. */
export function failedReport(error: string): RunReport {
  return {
    status: 'failed', reason: null, exitCode: null, signal: null, forceKilled: false, stragglersKilled: 0, peakRssBytes: null, peakPidCount: null,
    sampleCount: 0, warnedAtMs: null, emergencyAtMs: null, terminatedAtMs: null, error, result: null,
  };
}
