// How any room raises an alert, without knowing who delivers it: the run, the tick and the trend monitor are
// handed an AlertRaiser; alerts/raise.ts's Alerts is the one implementation (history row, log line, delivery).
import type { Logger } from '../../shared/logger.ts';
import type { AlertKind } from './alert-catalogue.ts';

export interface RaiseDetails {
  readonly message: string;
  /** The measured value: RSS MB for memory kinds, MB/h for growth, attempts for attempts-exhausted, rows it would have hidden for worklist-cancel-refused. */
  readonly value?: number | null;
  readonly runId?: number | null;
  /** A recovering kind's "it is over" row: written and logged at info. */
  readonly recovered?: boolean;
  /** The log line, when it should read differently from the stored message. @default message */
  readonly logText?: string;
  /** Logs through this (e.g. one tagged with the run id). @default the raiser's own logger */
  readonly logger?: Logger;
}

export interface AlertRaiser {
  /**
   * Logs now, queues the row in the order raised; resolves to the alert's id once written, or undefined when it was
   * dropped. Never rejects, so no caller can lose a kill to it; callers on the tick's path must not await it.
   */
  raise(kind: AlertKind, details: RaiseDetails): Promise<number | undefined>;
}
