import { isAppError, type AppError } from '../../shared/errors/app-error.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { defaultPlugins } from '../default-plugins.ts';
import { Supervisor } from '../supervisor.ts';
import type { TickOutcome } from '../schedule/tick.ts';
import { commandText } from '../run/run-attempt.ts';
import { RUN_STATUS_FACTS } from '../vocabulary/run-status.ts';
import { recordOverlap } from './record-overlap.ts';

export interface SuperviseOptions {
  readonly logger: Logger;
  readonly once: boolean;
  readonly signals: NodeJS.EventEmitter;
  /** The environment plugins read secrets from (the status token). */
  readonly env: NodeJS.ProcessEnv;
  readonly onStarted?: ((killChildNow: () => void) => void) | undefined;
}

/** One-shot outcome → exit code: documented in --help and ecosystem.md. */
function onceExitCode(outcome: TickOutcome): number {
  return RUN_STATUS_FACTS[outcome.status].onceExitCode;
}

/**
 * run-once with the lock held is cron's normal overlap, not a failure: a warning worded for cron, a `skipped` row in
 * the history when it can be written safely, and exit 4 (documented, like `flock -n`).
 */
async function skipOverlap(config: SupervisorConfig, logger: Logger, error: AppError): Promise<number> {
  const recorded = await recordOverlap(config, commandText(config), Date.now(), logger);
  const row = 'runId' in recorded ? `recorded as run ${recorded.runId}` : `not recorded in the history: ${recorded.notRecorded}`;
  logger.warn(`run-once skipped (exit ${error.exitCode}): ${error.message}. The previous run is still going; this slot is skipped, the next cron slot tries again (${row}). `
    + 'If the holder is a resident supervisor rather than an earlier run-once, two supervisors share this dataDir: stop one, or give each its own dataDir.');
  return error.exitCode;
}

/** Said once at start, so a quiet cron schedule (runOnStart false) still shows when its first tick comes. */
function scheduleLine(config: SupervisorConfig, nextTickAtMs: number | undefined): string {
  const schedule = 'cron' in config.schedule
    ? `cron "${config.schedule.cron}"${config.timezone ? ` (${config.timezone})` : ''}`
    : `every ${config.schedule.everyMs / 1000} s`;
  const next = nextTickAtMs === undefined ? 'unknown' : new Date(nextTickAtMs).toISOString();
  return `schedule ${schedule}: ${config.runOnStart ? 'first tick now, ' : ''}next tick at ${next}; runs until SIGTERM or Ctrl-C`;
}

/**
 * Each one stops the supervisor the same clean way: the runner through its grace period, its row closed, exit 0.
 * SIGHUP (a closed terminal, a `kill -HUP` meant as "reload") and SIGUSR2 would otherwise end the process at once,
 * leaving the run's row `running` and a custom runner unwatched.
 */
const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2'] as const;

// Starts the supervisor, runs the schedule (or one tick) and stops cleanly on the first stop signal.
export async function supervise(config: SupervisorConfig, options: SuperviseOptions): Promise<number> {
  const { logger } = options;
  const supervisor = new Supervisor({ config, logger, env: options.env, plugins: defaultPlugins(options.env) });
  let stopRequested: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  let signalsSeen = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalsSeen++ === 0) {
      logger.warn(`${signal} received: stopping (a second signal kills the runner at once)`);
      stopRequested();
      void supervisor.stop();
    } else {
      logger.warn(`${signal} received again: killing the runner now`);
      supervisor.escalate();
    }
  };
  // SIGUSR1 never opens the inspector (shared/no-inspector-signal.ts); said in the log, so whoever sent it knows.
  const onInspectorSignal = (): void => {
    logger.warn('SIGUSR1 received: ignored (the Node inspector is never opened); SIGTERM stops the supervisor');
  };
  for (const signal of STOP_SIGNALS) options.signals.on(signal, onSignal);
  options.signals.on('SIGUSR1', onInspectorSignal);
  try {
    try {
      await supervisor.start();
    } catch (error) {
      if (options.once && isAppError(error) && error.code === 'LOCK_HELD') return await skipOverlap(config, logger, error);
      throw error;
    }
    options.onStarted?.(() => supervisor.killChildNow());
    if (options.once) {
      const outcome = await supervisor.triggerTick();
      await supervisor.stop();
      return onceExitCode(outcome);
    }
    supervisor.startSchedule();
    logger.info(scheduleLine(config, supervisor.nextTickAtMs()));
    await stopped;
    await supervisor.stop();
    logger.info('supervisor stopped');
    return 0;
  } finally {
    for (const signal of STOP_SIGNALS) options.signals.off(signal, onSignal);
    options.signals.off('SIGUSR1', onInspectorSignal);
  }
}
