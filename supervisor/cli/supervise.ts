import { supervisorCodes } from '../../shared/errors/supervisor-codes.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SupervisorConfig } from '../config/types.ts';
import { defaultPlugins } from '../default-plugins.ts';
import { Supervisor } from '../supervisor.ts';
import type { TickOutcome } from '../schedule/tick.ts';

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
  switch (outcome.status) {
    case 'ok':
    case 'interrupted':
      return 0;
    case 'killed':
    case 'timeout':
      return supervisorCodes.RUN_KILLED.exitCode;
    default:
      return supervisorCodes.RUN_FAILED.exitCode;
  }
}

// Starts the supervisor, runs the schedule (or one tick) and stops cleanly on the first SIGTERM/SIGINT.
export async function supervise(config: SupervisorConfig, options: SuperviseOptions): Promise<number> {
  const { logger } = options;
  const supervisor = new Supervisor({ config, logger, plugins: defaultPlugins(options.env) });
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
  options.signals.on('SIGTERM', onSignal);
  options.signals.on('SIGINT', onSignal);
  try {
    await supervisor.start();
    options.onStarted?.(() => supervisor.killChildNow());
    logger.info(`supervisor started (pid ${process.pid}, config ${config.origin}, data ${config.dataDir})`);
    if (options.once) {
      const outcome = await supervisor.triggerTick();
      await supervisor.stop();
      return onceExitCode(outcome);
    }
    supervisor.startSchedule();
    await stopped;
    await supervisor.stop();
    logger.info('supervisor stopped');
    return 0;
  } finally {
    options.signals.off('SIGTERM', onSignal);
    options.signals.off('SIGINT', onSignal);
  }
}
