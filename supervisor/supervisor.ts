import { join } from 'node:path';
import type { AppError } from '../shared/errors/app-error.ts';
import type { Logger } from '../shared/logger.ts';
import type { Database } from '../shared/sqlite.ts';
import type { SupervisorConfig } from './config/types.ts';
import { prepareDataDir } from './data-dir.ts';
import { migrationMessage, openHistoryForWrite } from './history/open-history.ts';
import { closeDeadSupervisorRuns, listRunningRows } from './history/queries-open-rows.ts';
import type { HistoryStore } from './history/store.ts';
import type { Alerts } from './alerts/raise.ts';
import { alertingHistory } from './alerts/alerting-history.ts';
import { alertRouter } from './alerts/routes.ts';
import { Lifecycle, type LifecycleState } from './lifecycle.ts';
import { LiveState } from './live-state.ts';
import { acquireLock, type HeldLock } from './process/lock.ts';
import { reapOrphans } from './process/orphans.ts';
import { warmTreeRss } from './process/tree-rss.ts';
import { OverlapSkips } from './schedule/overlap-skips.ts';
import type { SupervisorContext, SupervisorPlugin } from './plugin.ts';
import { signalGroup } from './process/process-identity.ts';
import { commandText } from './run/run-attempt.ts';
import { createScheduler, type Scheduler, type SchedulerFactory } from './schedule/schedule.ts';
import { monitorSelf } from './memory/self-monitor.ts';
import { FailureEpisode } from '../shared/failure-episode.ts';
import { runTick, type TickOutcome } from './schedule/tick.ts';

/** How long a stop waits for the history's queued writes before the plugins stop, at most. */
const SHUTDOWN_WRITES_WAIT_MS = 2000;

/** Heartbeats come with each self-sample; five missed ones (at least 5 minutes) mean the holder is dead. */
function lockStaleAfterMs(config: SupervisorConfig): number {
  return Math.max(5 * 60_000, 5 * config.memory.selfSampleIntervalMs);
}

export interface SupervisorOptions {
  readonly config: SupervisorConfig;
  readonly logger: Logger;
  readonly plugins?: readonly SupervisorPlugin[];
  readonly now?: () => number;
  /** Makes the schedule's scheduler; `createScheduler` (node-cron or the monotonic interval timer) when absent. */
  readonly scheduler?: SchedulerFactory;
  /** The environment the runner's allow-listed variables come from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// The long-lived process: lock, history, orphans, self-watch, then one tick per schedule slot until stopped.
export class Supervisor {
  /** Moved by start, stop and nothing else; outside code reads `state`. */
  private readonly lifecycle = new Lifecycle();
  readonly live: LiveState;
  private readonly stopping = new AbortController();
  private readonly escalation = new AbortController();
  private readonly now: () => number;
  private lock: HeldLock | undefined;
  private store: HistoryStore | undefined;
  private alerts: Alerts | undefined;
  private readonly overlaps: OverlapSkips;
  private scheduler: Scheduler | undefined;
  private currentTick: Promise<TickOutcome> | undefined;
  private selfWatch: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private readonly startedPlugins: SupervisorPlugin[] = [];
  private heartbeatFailing = false;
  /** Failed self-samples (history write, heartbeat, a plugin's hook): logged once per episode, all counted. */
  readonly selfSampleFailures: FailureEpisode;

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? Date.now;
    this.live = new LiveState(this.now());
    this.selfSampleFailures = new FailureEpisode('supervisor self-sample', options.logger);
    this.overlaps = new OverlapSkips({ live: this.live, logger: options.logger, command: commandText(options.config) });
  }

  /** Where the supervisor is in its life: idle, starting, running, stopping or stopped. */
  get state(): LifecycleState {
    return this.lifecycle.state;
  }

  /** Takes the lock, opens the history and reaps what a dead predecessor left; throws AppError on failure. */
  start(): Promise<void> {
    this.starting ??= this.startUp();
    return this.starting;
  }

  private async startUp(): Promise<void> {
    const { config, logger } = this.options;
    this.lifecycle.to('starting');
    warmTreeRss();
    await prepareDataDir(config.dataDir);
    this.lock = await acquireLock(join(config.dataDir, 'supervisor.lock'), this.now(), { staleAfterMs: lockStaleAfterMs(config) });
    if (this.lock.tookOverFrom) logger.warn(`took over a stale lock left by pid ${this.lock.tookOverFrom.pid} (${this.lock.tookOverFrom.host})`);
    try {
      const db = await openHistoryForWrite(join(config.dataDir, 'history.db'), { onMigrated: (m) => logger.info(migrationMessage(m)) });
      const history = alertingHistory(db, { logger, now: this.now, reopenWith: openHistoryForWrite }, { logger, now: this.now, route: alertRouter(config.alerts) });
      this.store = history.store;
      this.alerts = history.alerts;
      await this.reapDeadRuns(db);
      for (const plugin of this.plugins()) {
        await plugin.start?.(this.context());
        this.startedPlugins.push(plugin);
      }
      void this.alerts.raise('supervisor-start', { message: `supervisor started (pid ${process.pid}, config ${config.origin}, data ${config.dataDir})` });
    } catch (error) {
      this.stopping.abort();
      for (const plugin of this.startedPlugins.reverse()) await this.stopPlugin(plugin);
      await this.closeStore();
      await this.lock.release();
      this.lifecycle.to('stopped');
      throw error;
    }
    this.selfWatch = monitorSelf({
      intervalMs: config.memory.selfSampleIntervalMs,
      signal: this.stopping.signal,
      now: this.now,
      failures: this.selfSampleFailures,
      onSample: async (atMs, rssBytes) => {
        this.live.supervisorSample(atMs, rssBytes);
        this.reportHeartbeat(await this.lock?.touch());
        this.store?.addSample('supervisor', { atMs, runId: null, rssBytes, pidCount: 1 });
        await this.store?.flush();
        for (const plugin of this.plugins()) await plugin.afterSelfSample?.();
      },
    });
    this.lifecycle.started();
  }

  /**
   * The runs a dead predecessor left `running`: the reaper (process/) kills what is left of them and says which were
   * orphaned and which interrupted; their rows are closed here, so no row stays `running`.
   */
  private async reapDeadRuns(db: Database): Promise<void> {
    const { config, logger } = this.options;
    const atMs = this.now();
    const reaped = await reapOrphans(await listRunningRows(db), config.dataDir);
    await closeDeadSupervisorRuns(db, reaped.orphaned, 'orphaned', atMs, 'the supervisor died while this run was in flight; what was left of it was killed at the next start');
    await closeDeadSupervisorRuns(db, reaped.interrupted, 'interrupted', atMs, 'the supervisor died while this run was in flight; the child was already gone at the next start');
    if (reaped.orphaned.length > 0) logger.warn(`killed orphaned runner(s) of runs ${reaped.orphaned.join(', ')} left by a supervisor that died`);
    if (reaped.interrupted.length > 0) logger.warn(`marked runs ${reaped.interrupted.join(', ')} interrupted: a supervisor died while they ran`);
  }

  /**
   * A failed heartbeat is said once per episode: another host takes a lock whose heartbeat stopped, so an operator
   * must hear of it before that happens, but not once a minute for the whole outage.
   */
  private reportHeartbeat(error: AppError | undefined): void {
    if (error && !this.heartbeatFailing) this.options.logger.error(`lock heartbeat failed: [${error.code}] ${error.message}; another supervisor may take this data dir over`, { hint: error.hint });
    if (!error && this.heartbeatFailing) this.options.logger.info('lock heartbeat works again');
    this.heartbeatFailing = error !== undefined;
  }

  /** Starts the schedule; resolves at once. */
  startSchedule(): void {
    if (!this.lifecycle.allows('schedule')) return;
    const { config, logger } = this.options;
    const makeScheduler = this.options.scheduler ?? createScheduler;
    this.scheduler = makeScheduler(config.schedule, config.timezone, () => this.triggerTick(), { now: this.now, logger });
    this.scheduler.start();
    this.live.schedulerStarted();
    if (config.runOnStart) void this.triggerTick();
  }

  /**
   * What a schedule slot does, and all of `--once`: a tick with its restarts, or a recorded skip while the
   * previous one is still going.
   */
  triggerTick(): Promise<TickOutcome> {
    const tickAtMs = this.now();
    this.live.tickStarted(tickAtMs);
    const { store, alerts } = this;
    if (!this.lifecycle.allows('tick') || !store || !alerts) return Promise.resolve({ status: 'interrupted', lastRunId: undefined, attempts: 0 });
    if (this.currentTick) return this.overlaps.record(store, tickAtMs);
    const tick = runTick(tickAtMs, {
      config: this.options.config, store, alerts, logger: this.options.logger, live: this.live, now: this.now,
      supervisorEnv: this.options.env ?? process.env,
      stop: this.stopping.signal, escalate: this.escalation.signal,
      // `--once` triggers its tick without ever starting the schedule.
      oneShot: this.scheduler === undefined,
      runStarted: (runId) => {
        for (const plugin of this.plugins()) plugin.runStarted?.(runId);
      },
      afterRun: async (runId, report) => {
        for (const plugin of this.plugins()) await plugin.afterRun?.(runId, report);
      },
    }).catch((error: unknown) => {
      this.options.logger.error(`tick failed: ${(error as Error).stack ?? String(error)}`);
      return { status: 'failed', lastRunId: undefined, attempts: 0 } as TickOutcome;
    });
    this.currentTick = tick.finally(() => (this.currentTick = undefined));
    return tick;
  }

  /** Stops scheduling and lets the child go through the grace path; every call returns the same promise. */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  /** A second shutdown signal: cut the grace period short and SIGKILL the child now. */
  escalate(): void {
    this.escalation.abort();
  }

  private async shutDown(): Promise<void> {
    this.lifecycle.stopRequested();
    this.stopping.abort();
    // A signal during start-up waits for it: closing the history under a half-started supervisor would break it.
    await this.starting?.catch(() => undefined);
    this.scheduler?.stop();
    this.live.schedulerStopped();
    await this.currentTick;
    await this.overlaps.settled();
    await this.selfWatch;
    // Alerts raised at the end of the last run (a run-once's kill, the give-up) are still in the write queue; the
    // delivery plugin's last pass only sees their outbox rows once written. Bounded, and skipped while history fails.
    await this.store?.writesLandedSoon(SHUTDOWN_WRITES_WAIT_MS);
    try {
      for (const plugin of [...this.startedPlugins].reverse()) await this.stopPlugin(plugin);
      await this.closeStore();
    } finally {
      // Whatever failed above, the lock goes: a lock left behind blocks the next start until it looks stale.
      await this.lock?.release();
    }
    if (this.lifecycle.state === 'stopping') this.lifecycle.to('stopped');
  }

  /** The next schedule slot, from the scheduler (the one source of it); undefined before the schedule starts. */
  nextTickAtMs(): number | undefined {
    return this.scheduler?.nextTickAtMs();
  }

  /** For the process `exit` hook: nothing async is possible there, so SIGKILL the child's group now. */
  killChildNow(): void {
    const pid = this.live.current?.pid;
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  }

  /** A plugin that fails to stop is logged and the shutdown goes on: the others, the history and the lock still close. */
  private async stopPlugin(plugin: SupervisorPlugin): Promise<void> {
    try {
      await plugin.stop?.();
    } catch (error) {
      this.options.logger.error(`plugin ${plugin.name} failed to stop: ${(error as Error).message}; stopping the rest anyway`);
    }
  }

  /** A history that cannot close cleanly (a full disk) is logged; its WAL is replayed at the next open. */
  private async closeStore(): Promise<void> {
    try {
      await this.store?.close();
    } catch (error) {
      this.options.logger.error(`cannot close history.db cleanly: ${(error as Error).message}; the next start recovers it from its WAL`);
    }
  }

  private plugins(): readonly SupervisorPlugin[] {
    return this.options.plugins ?? [];
  }

  private context(): SupervisorContext {
    const { store, alerts } = this;
    if (!store || !alerts) throw new Error('supervisor context requested before the history was opened');
    const { config, logger } = this.options;
    return { config, store, alerts, live: this.live, logger, now: this.now, signal: this.stopping.signal, scheduler: () => this.scheduler };
  }
}
