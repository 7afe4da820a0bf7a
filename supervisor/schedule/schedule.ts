import type { ScheduledTask } from 'node-cron';
import type { Logger } from '../../shared/logger.ts';
import type { Schedule } from '../config/types.ts';
import { nodeCron } from '../config/node-cron.ts';

export interface Scheduler {
  start(): void;
  stop(): void;
  /** Wall-clock time of the next planned tick, for /healthz and /memory-status. */
  nextTickAtMs(): number | undefined;
}

/**
 * What a slot starts. The scheduler does not wait for it, nor look at what it returns: a slot that finds the last tick
 * still going is the tick's to record (an overlap), not the scheduler's to hold back.
 */
export type SlotHandler = () => unknown;

export interface SchedulerDeps {
  readonly now: () => number;
  readonly logger: Logger;
}

/** How the supervisor makes its scheduler; `createScheduler` unless a test hands it another (`SupervisorOptions.scheduler`). */
export type SchedulerFactory = (schedule: Schedule, timezone: string | undefined, onTick: SlotHandler, deps: SchedulerDeps) => Scheduler;

/**
 * Pure: the wait until the next slot of a fixed-interval schedule, measured on the monotonic clock,
 * so a wall-clock jump neither doubles nor drops a tick. A slot missed while the loop was busy is skipped.
 */
export function planNextTick(startedMono: number, everyMs: number, nowMono: number): number {
  const intoSlot = (nowMono - startedMono) % everyMs;
  const wait = everyMs - intoSlot;
  // Node timers can wake a millisecond or two before performance.now() reaches the slot; that wake-up *is* the
  // slot, so plan the one after it instead of firing the same slot again a moment later.
  return wait <= Math.min(EARLY_WAKE_MS, everyMs / 10) ? wait + everyMs : wait;
}

/** How early a timer may wake and still count as its slot. */
const EARLY_WAKE_MS = 15;

function intervalScheduler(everyMs: number, onTick: SlotHandler, now: () => number): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let startedMono = 0;
  let nextAtMs: number | undefined;
  const arm = (): void => {
    const wait = planNextTick(startedMono, everyMs, performance.now());
    nextAtMs = now() + wait;
    timer = setTimeout(() => {
      arm();
      void onTick();
    }, wait);
  };
  return {
    start() {
      startedMono = performance.now();
      arm();
    },
    stop() {
      clearTimeout(timer);
      nextAtMs = undefined;
    },
    nextTickAtMs: () => nextAtMs,
  };
}

function cronScheduler(expression: string, timezone: string | undefined, onTick: SlotHandler, logger: Logger): Scheduler {
  const task: ScheduledTask = nodeCron().createTask(expression, () => void onTick(), {
    ...(timezone ? { timezone } : {}),
    name: 'sync-supervisor',
    logger: { info: (m) => logger.debug(m), warn: (m) => logger.warn(m), error: (m) => logger.error(String(m)), debug: (m) => logger.debug(String(m)) },
  });
  let running = false;
  return {
    start() {
      running = true;
      void task.start();
    },
    stop() {
      running = false;
      void task.stop();
      void task.destroy();
    },
    nextTickAtMs: () => (running ? task.getNextRun()?.getTime() : undefined),
  };
}

// Cron expressions go to node-cron; `{ everyMs }` uses a monotonic timer of our own.
export const createScheduler: SchedulerFactory = (schedule, timezone, onTick, deps) =>
  'everyMs' in schedule ? intervalScheduler(schedule.everyMs, onTick, deps.now) : cronScheduler(schedule.cron, timezone, onTick, deps.logger);
