import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../shared/logger.ts';
import { childEnv } from '../../shared/protocol.ts';
import { backoffDelay } from './backoff.ts';
import type { SupervisorConfig } from '../config/types.ts';
import type { RunStatus } from '../history/schema.ts';
import type { HistoryStore } from '../history/store.ts';
import type { LiveState } from '../live-state.ts';
import { shouldRestart } from '../run/run-outcome.ts';
import type { RunReport } from '../run/run-report.ts';
import { runAttempt } from '../run/run-attempt.ts';
import { lookUp } from '../run/run-messages.ts';

export interface TickDeps {
  readonly config: SupervisorConfig;
  readonly store: HistoryStore;
  readonly logger: Logger;
  readonly live: LiveState;
  readonly now: () => number;
  readonly stop: AbortSignal;
  readonly escalate: AbortSignal;
  /** Called after every finished attempt (the trend monitor hangs here). */
  readonly afterRun?: (runId: number, report: RunReport) => Promise<void>;
}

export interface TickOutcome {
  readonly status: RunStatus;
  readonly lastRunId: number | undefined;
  readonly attempts: number;
}

// One tick: attempts with doubling backoff until one succeeds, a shutdown, or the attempts run out.
export async function runTick(tickAtMs: number, deps: TickDeps): Promise<TickOutcome> {
  const { config, logger } = deps;
  let outcome: TickOutcome = { status: 'interrupted', lastRunId: undefined, attempts: 0 };
  for (let attempt = 1; attempt <= config.restart.maxAttempts; attempt++) {
    const wait = backoffDelay(attempt, config.restart);
    if (wait > 0) {
      logger.info(`restarting runner in ${wait} ms (attempt ${attempt} of ${config.restart.maxAttempts})`);
      const waited = await delay(wait, true, { signal: deps.stop }).catch(() => false);
      if (!waited) break;
    }
    if (deps.stop.aborted) break;
    const { runId, report } = await runAttempt(tickAtMs, attempt, deps, {
      [childEnv.dataDir]: config.dataDir,
      [childEnv.pylantirConfig]: config.sync.pylantirConfig,
    });
    outcome = { status: report.status, lastRunId: runId, attempts: attempt };
    await deps.afterRun?.(runId, report).catch((error: unknown) => logger.error(`after-run hook failed: ${(error as Error).message}`));
    if (!shouldRestart(report.status)) return outcome;
  }
  if (outcome.lastRunId !== undefined && shouldRestart(outcome.status)) {
    const message = `runner gave up after ${outcome.attempts} attempts (last: ${outcome.status}); the next tick tries again; ${lookUp(outcome.lastRunId)}`;
    logger.error(message);
    await deps.store.addAlert({ atMs: deps.now(), level: 'critical', kind: 'attempts-exhausted', message, value: outcome.attempts, runId: outcome.lastRunId });
  }
  return outcome;
}
