import type { Logger } from '../shared/logger.ts';
import type { Alerts } from './alerts/raise.ts';
import type { SupervisorConfig } from './config/types.ts';
import type { HistoryStore } from './history/store.ts';
import type { LiveState } from './live-state.ts';
import type { RunReport } from './vocabulary/run-report.ts';
import type { Scheduler } from './schedule/schedule.ts';

/** What a plugin may see of a started supervisor. */
export interface SupervisorContext {
  readonly config: SupervisorConfig;
  readonly store: HistoryStore;
  /** Raises alerts (history row, log line, outbox rows); plugins subscribe to new outbox rows here. */
  readonly alerts: Alerts;
  readonly live: LiveState;
  readonly logger: Logger;
  readonly now: () => number;
  /** Aborts when the supervisor begins to stop. */
  readonly signal: AbortSignal;
  readonly scheduler: () => Scheduler | undefined;
}

// Optional parts (trend alerts, retention, the status server) attach here instead of growing the core.
export interface SupervisorPlugin {
  readonly name: string;
  start?(context: SupervisorContext): Promise<void>;
  /** As each attempt's row is written, before its child is spawned; must not block (it is not awaited). */
  runStarted?(runId: number): void;
  afterRun?(runId: number, report: RunReport): Promise<void>;
  afterSelfSample?(): Promise<void>;
  stop?(): Promise<void>;
}
