import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../shared/logger.ts';
import type { AlertRaiser } from '../vocabulary/alert-raiser.ts';
import { childEnv } from '../../shared/protocol.ts';
import { restartDelay } from './restart-delay.ts';
import type { SupervisorConfig } from '../config/types.ts';
import type { RunStatus } from '../vocabulary/words.ts';
import type { HistoryStore } from '../history/store.ts';
import type { LiveState } from '../live-state.ts';
import { restartCannotHelp, shouldRestart } from '../run/run-outcome.ts';
import { usesBundledRunner } from '../config/defaults.ts';
import type { RunReport } from '../vocabulary/run-report.ts';
import { runAttempt } from '../run/run-attempt.ts';
import { journalReceivedEnv } from '../run/journal-received-env.ts';
import { lookUp } from '../run/run-messages.ts';

export interface TickDeps {
  readonly config: SupervisorConfig;
  readonly store: HistoryStore;
  readonly alerts: AlertRaiser;
  readonly logger: Logger;
  readonly live: LiveState;
  readonly now: () => number;
  /** The environment the runner's allow-listed variables come from. */
  readonly supervisorEnv: Readonly<Record<string, string | undefined>>;
  readonly stop: AbortSignal;
  readonly escalate: AbortSignal;
  /** `run-once`: no next tick in this process, so a give-up points at the next cron slot. @default false */
  readonly oneShot?: boolean;
  /** Called as each attempt's row is written (the healthcheck's /start ping); not awaited. */
  readonly runStarted?: (runId: number) => void;
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
  let hopeless: string | undefined;
  for (let attempt = 1; attempt <= config.restart.maxAttempts; attempt++) {
    const wait = restartDelay(attempt, config.restart);
    if (wait > 0) {
      logger.info(`restarting runner in ${wait} ms (attempt ${attempt} of ${config.restart.maxAttempts})`);
      const waited = await delay(wait, true, { signal: deps.stop }).catch(() => false);
      if (!waited) break;
    }
    if (deps.stop.aborted) break;
    const { runId, report } = await runAttempt(tickAtMs, attempt, deps, {
      [childEnv.dataDir]: config.dataDir,
      [childEnv.pylantirConfig]: config.sync.pylantirConfig,
      ...(await journalReceivedEnv(deps.store, logger)),
    });
    outcome = { status: report.status, lastRunId: runId, attempts: attempt };
    await deps.afterRun?.(runId, report).catch((error: unknown) => logger.error(`after-run hook failed: ${(error as Error).message}`));
    if (!shouldRestart(report.status)) return outcome;
    hopeless = restartCannotHelp(report.status, report.exitCode, usesBundledRunner(config.runner));
    if (hopeless !== undefined) {
      if (attempt < config.restart.maxAttempts) logger.warn(`run ${runId}: not restarting the runner in this tick: exit ${report.exitCode} (${hopeless}) needs a fix a restart cannot make`);
      break;
    }
  }
  if (outcome.lastRunId !== undefined && shouldRestart(outcome.status)) {
    const attempts = `${outcome.attempts} ${outcome.attempts === 1 ? 'attempt' : 'attempts'}`;
    const next = deps.oneShot ? 'this run-once gives up; the next cron slot tries again' : 'the next tick tries again';
    const why = hopeless === undefined ? `last: ${outcome.status}` : `${hopeless}, which a restart cannot fix`;
    const message = `runner gave up after ${attempts} (${why}); ${next}; ${lookUp(outcome.lastRunId, config)}`;
    // Queued, not awaited: a locked or full history.db must not hold the tick.
    void deps.alerts.raise('attempts-exhausted', { message, value: outcome.attempts, runId: outcome.lastRunId });
  }
  return outcome;
}
