import type { ResultMessage } from '../../shared/protocol.ts';
import type { RunStatus } from '../history/schema.ts';

/** What one finished child run amounts to, ready to be written to its `runs` row. */
export interface RunReport {
  readonly status: RunStatus;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly forceKilled: boolean;
  readonly peakRssBytes: number | null;
  readonly peakPidCount: number | null;
  readonly sampleCount: number;
  readonly warnedAtMs: number | null;
  readonly emergencyAtMs: number | null;
  readonly error: string | null;
  readonly result: ResultMessage | null;
}
