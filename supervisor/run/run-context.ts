// What one attempt needs from the tick that starts it, and no more: the tick's own wiring (backoff, oneShot,
// afterRun) stays in schedule/. The tick's deps satisfy this structurally, so a run never imports its caller.
import type { Logger } from '../../shared/logger.ts';
import type { SupervisorConfig } from '../config/types.ts';
import type { HistoryStore } from '../history/store.ts';
import type { LiveState } from '../live-state.ts';
import type { AlertRaiser } from '../vocabulary/alert-raiser.ts';

export interface RunContext {
  readonly config: SupervisorConfig;
  /** The run's row, its pid, samples and worklist changes, and its close. */
  readonly store: Pick<HistoryStore, 'startRun' | 'recordPid' | 'addSample' | 'addWorklistChanges' | 'finishRun' | 'writesLandedSoon'>;
  readonly alerts: AlertRaiser;
  readonly logger: Logger;
  readonly live: Pick<LiveState, 'runStarted' | 'runSpawned' | 'runnerSample' | 'worklistChanged' | 'runEnded'>;
  readonly now: () => number;
  /** The supervisor's environment, the allow-listed part of which the runner inherits (process/env-allow-list.ts). */
  readonly supervisorEnv: Readonly<Record<string, string | undefined>>;
  /** Supervisor shutdown: the child is stopped through the grace path with reason `shutdown`. */
  readonly stop: AbortSignal;
  /** A second shutdown signal: SIGKILL at once. */
  readonly escalate: AbortSignal;
  /** Called as the attempt's row is written (the healthcheck's /start ping); not awaited. */
  readonly runStarted?: (runId: number) => void;
}
