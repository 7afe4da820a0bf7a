import type { Logger } from '../../shared/logger.ts';
import type { AlertKind } from '../vocabulary/alert-catalogue.ts';
import type { RaiseDetails } from '../vocabulary/alert-raiser.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { RunReport } from '../vocabulary/run-report.ts';
import type { RunLimits } from '../vocabulary/run-limits.ts';
import type { TrendStats } from '../vocabulary/trend-stats.ts';
import { HistoryConnection, reopenedMessage, type LostFile } from './history-connection.ts';
import { OpenRuns } from './open-runs.ts';
import { insertAlert, type NewDelivery } from './outbox.ts';
import type { AlertLevel, MemorySource } from '../vocabulary/words.ts';
import { SampleBuffer, type MemorySampleRow } from './sample-buffer.ts';
import { writeWorklistChanges } from './worklist-changes.ts';
import type { WorklistChange } from '../../shared/protocol.ts';
import { gapMessage, HistoryWriteQueue, type WriteGap } from './write-queue.ts';

export interface NewRun {
  readonly tickAtMs: number;
  readonly attempt: number;
  readonly command: string;
  readonly startedAtMs: number;
}

/** A finished run as its row stores it: the report, with the runner's result already serialised. */
export type FinishedRun = Omit<RunReport, 'result'> & { readonly endedAtMs: number; readonly resultJson: string | null };

export interface NewAlert {
  readonly atMs: number;
  readonly level: AlertLevel;
  readonly kind: string;
  readonly message: string;
  readonly value?: number | null;
  readonly runId?: number | null;
  /** Outbox rows to write in the same transaction, one per sink that takes this alert. */
  readonly deliveries?: readonly NewDelivery[];
}

/** What happens to history.db itself, reported for the supervisor to raise as the alert of that kind. */
export type HistoryIncident = Extract<AlertKind, 'history-reopened' | 'history-gap'>;

export interface HistoryStoreOptions {
  /** How often buffered samples are written (and the file checked, when reopening is on). @default 1000 */
  readonly flushEveryMs?: number;
  /** Where failed sample writes and a reopened file are reported; without it they are only counted and alerted. */
  readonly logger?: Logger;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Opens history.db again at its path (pass `openHistoryForWrite`) when the file opened is deleted or replaced
   * while the store runs. Off when absent: a store over a fixture or a copy never swaps its file.
   */
  readonly reopenWith?: (path: string) => Promise<Database>;
  /**
   * Told of the file's own incidents, to raise them as alerts the one way (alerts/raise.ts; tied in
   * alerts/alerting-history.ts, as history cannot import alerts): `history-reopened` once a new file is open, and
   * `history-gap` once writes land again. An alert added from here at once for a reopen is written into the new
   * file ahead of every queued write. Without it an incident is only logged, as a warning.
   */
  readonly onIncident?: (kind: HistoryIncident, details: RaiseDetails) => void;
  /** History writes held in memory while history.db cannot be written, before new ones are dropped. @default 10000 */
  readonly maxPendingWrites?: number;
  /** How often a failing write is retried. @default 1000 */
  readonly retryMs?: number;
  /** How long `close` keeps trying to write what is held. @default 5000 */
  readonly closeFlushMs?: number;
}

/** A write waiting on history.db's busy handler holds one of libuv's 4 threads (and this connection) that long: keep it short, the queue retries. */
const WRITE_BUSY_TIMEOUT_MS = 250;

// The write side of history.db: run rows and alerts through one ordered write queue, samples in batches, on a
// connection that follows the path.
export class HistoryStore {
  private readonly connection: HistoryConnection;
  private readonly samples: SampleBuffer;
  private readonly openRuns = new OpenRuns();
  private readonly timer: NodeJS.Timeout;
  private readonly writes: HistoryWriteQueue;
  /** The next run id: allocated here, not by the INSERT, so a run starts (and its runner gets its id) while history.db cannot be written. */
  private nextRunId = 1;
  /** Resolves once nextRunId is read from the file; fails startRun (as the INSERT used to) if it cannot be. */
  private readonly runIdsReady: Promise<void>;
  private samplesLostBeforeGap = 0;
  /** Set while a reopen reports itself: the new file, and the alerts written straight into it. */
  private reopening: { readonly db: Database; readonly writes: Promise<unknown>[] } | undefined;

  constructor(db: Database, private readonly options: HistoryStoreOptions = {}) {
    const { logger, reopenWith } = options;
    this.connection = new HistoryConnection(db, reopenWith ? { open: reopenWith, logger, onReopened: (next, lost) => this.recordReopen(next, lost) } : undefined);
    this.samples = new SampleBuffer((sql, params) => this.connection.use((current) => current.run(sql, params)), logger);
    // Once a second at most a second of samples is at risk, and a deleted file is noticed by the next flush.
    this.timer = setInterval(() => void this.flush(), options.flushEveryMs ?? 1000);
    this.timer.unref();
    const now = options.now ?? Date.now;
    this.writes = new HistoryWriteQueue(async (work) => {
      await this.connection.verify();
      return this.connection.use(work);
    }, { now, ...(logger ? { logger } : {}), maxPending: options.maxPendingWrites ?? 10_000, retryMs: options.retryMs ?? 1000, onRecovered: (gap) => this.recordGap(gap) });
    this.runIdsReady = firstFreeRunId(db).then((next) => void (this.nextRunId = Math.max(this.nextRunId, next)));
    // Handled here so a failed read is not an unhandled rejection; startRun still sees it.
    this.runIdsReady.catch(() => undefined);
    void db.exec(`PRAGMA busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`).catch(() => undefined);
  }

  /** Resolves once every history write queued so far has landed (or been dropped); for tests and tools, never the tick. */
  writesSettled(): Promise<void> {
    return this.writes.enqueue('marker', async () => undefined).then(() => undefined);
  }

  /**
   * For readers on the tick's path (the trend monitor reads the run just closed): waits for the queued writes while
   * history.db takes them, at most `withinMs`, and not at all while it is failing, so they never hold the tick.
   */
  async writesLandedSoon(withinMs = 1000): Promise<void> {
    if (this.writes.failing) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)));
    await Promise.race([this.writesSettled(), late]);
    clearTimeout(timer);
  }

  /** History writes waiting in memory now (history.db busy or full). */
  get pendingWrites(): number {
    return this.writes.size;
  }

  /** The next run id, above any id in the file or handed out before (a reopened file included). */
  private async allocateRunId(): Promise<number> {
    await this.runIdsReady;
    // Synchronous from here: two runs allocating at once never get the same id.
    const id = this.nextRunId++;
    this.openRuns.sawId(id);
    return id;
  }

  /** The connection in force; after a reopen it is the new file's, so read it at each use and never keep it. */
  get db(): Database {
    return this.connection.db;
  }

  /** Samples dropped because their write failed. */
  get samplesLost(): number {
    return this.samples.lost;
  }

  /** Allocates the run's id and queues its row: resolves at once, whatever state history.db is in. */
  async startRun(run: NewRun, limits: RunLimits): Promise<number> {
    const id = await this.allocateRunId();
    this.openRuns.started(id, { ...run, ...limits });
    void this.writes.enqueue('run rows', async (db) => {
      // A reopen may already have carried this open run into a new file; it must not be written twice.
      if (!this.openRuns.inCurrentFile(id)) return;
      await db.run(
        `INSERT OR IGNORE INTO runs (id, tick_at_ms, attempt, command, started_at_ms, status, warn_mb, emergency_mb, hard_limit_mb, grace_ms, sustain_ms, timeout_ms)
         VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
        [id, run.tickAtMs, run.attempt, run.command, run.startedAtMs, limits.warnMb, limits.emergencyMb, limits.hardLimitMb, limits.graceMs, limits.sustainMs, limits.timeoutMs],
      );
    });
    return id;
  }

  async recordPid(runId: number, pid: number, startTicks: number | undefined): Promise<void> {
    // Remembered first, so a reopen between here and the UPDATE still writes the pid into the new file.
    this.openRuns.pidRecorded(runId, pid, startTicks ?? null);
    void this.writes.enqueue('run rows', async (db) => {
      if (this.openRuns.inCurrentFile(runId)) await db.run('UPDATE runs SET pid = ?, pid_start_ticks = ? WHERE id = ?', [pid, startTicks ?? null, runId]);
    });
  }

  async recordSkipped(run: NewRun & { reason: string }): Promise<number> {
    const id = await this.allocateRunId();
    void this.writes.enqueue('run rows', (db) => db.run(
      `INSERT OR IGNORE INTO runs (id, tick_at_ms, attempt, command, started_at_ms, ended_at_ms, status, reason) VALUES (?, ?, ?, ?, ?, ?, 'skipped', ?)`,
      [id, run.tickAtMs, run.attempt, run.command, run.startedAtMs, run.startedAtMs, run.reason],
    ));
    return id;
  }

  /** Queues the run's closing UPDATE behind its samples, alerts and row; resolves at once. */
  async finishRun(runId: number, run: FinishedRun): Promise<void> {
    void this.flush();
    void this.writes.enqueue('run rows', async (db) => {
      // A run whose id was taken in a replacement file has no row here; updating by id would rewrite someone else's.
      if (!this.openRuns.inCurrentFile(runId)) return this.openRuns.finished(runId);
      await db.run(
        `UPDATE runs SET ended_at_ms = ?, status = ?, reason = ?, exit_code = ?, signal = ?, force_killed = ?, stragglers_killed = ?, peak_rss_bytes = ?,
           peak_pid_count = ?, sample_count = ?, warned_at_ms = ?, emergency_at_ms = ?, terminated_at_ms = ?, error = ?, result_json = ? WHERE id = ?`,
        [run.endedAtMs, run.status, run.reason, run.exitCode, run.signal, run.forceKilled ? 1 : 0, run.stragglersKilled, run.peakRssBytes, run.peakPidCount,
          run.sampleCount, run.warnedAtMs, run.emergencyAtMs, run.terminatedAtMs, run.error, run.resultJson, runId],
      );
      // Forgotten only once written: a reopen while this waited must still carry the row it updates.
      this.openRuns.finished(runId);
    });
  }

  addSample(source: MemorySource, sample: Omit<MemorySampleRow, 'source'>): void {
    this.samples.add({ source, ...sample });
  }

  /**
   * Queues the alert with its outbox rows (synchronously, so alerts land in the order raised); resolves to its id once
   * written, which may be long after (history.db locked or full), or undefined if it was dropped at the queue's cap.
   */
  addAlert(alert: NewAlert): Promise<number | undefined> {
    const write = (db: Database): Promise<number> => insertAlert(db, { ...alert, value: alert.value ?? null, runId: alert.runId ?? null }, alert.deliveries ?? []);
    const reopening = this.reopening;
    if (!reopening) return this.writes.enqueue('alerts', write);
    // The reopen's own alert, written while every other write waits for the new file: it comes first there.
    const direct = write(reopening.db);
    reopening.writes.push(direct.catch(() => undefined));
    // Refused now, it is not lost: it joins the queue, which retries it once the reopen is over.
    return direct.catch(() => this.writes.enqueue('alerts', write));
  }

  /**
   * One message of the runner's worklist status changes (worklist-changes.ts); resolves to those new to this file.
   * Not queued: the receiver needs the answer, and a message that cannot be written now is re-sent by the next runner.
   */
  async addWorklistChanges(changes: readonly WorklistChange[], receivedAtMs: number): Promise<WorklistChange[]> {
    await this.connection.verify();
    return this.connection.use((db) => writeWorklistChanges(db, changes, receivedAtMs));
  }

  /** One `trend_snapshots` row: the figures of the periodic trend summary line (FR-6.5); queued. */
  async addTrendSnapshot(atMs: number, source: MemorySource, stats: TrendStats): Promise<void> {
    void this.writes.enqueue('trend snapshots', (db) => db.run(
      `INSERT INTO trend_snapshots (at_ms, source, points, current_mb, avg_mb, min_mb, max_mb, growth_mb_per_hour, hours_to_emergency)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [atMs, source, stats.points, stats.currentMb, stats.avgMb, stats.minMb, stats.maxMb, stats.growthMbPerHour, stats.hoursToEmergency],
    ));
  }

  /** Checks the file is still the one at its path (reopening it if not), then writes the buffered samples; never rejects. */
  async flush(): Promise<void> {
    await this.connection.verify();
    await this.samples.flush();
  }

  /** Writes what is held (trying for up to closeFlushMs), says what could not be, and closes the file. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.samples.flush();
    const left = await this.writes.flush(this.options.closeFlushMs ?? 5000);
    if (left > 0) this.options.logger?.error(`${left} history writes (run rows, alerts) could not be written to history.db before the supervisor stopped; they are lost`);
    this.writes.stop();
    await this.connection.close();
  }

  /**
   * Writes land again: a `history-gap` incident with the outage's figures. Its alert joins the queue behind the writes
   * that waited; should it fail too, that is a new outage, reported once when it is over.
   */
  private recordGap(gap: WriteGap): void {
    const samplesLost = this.samples.lost - this.samplesLostBeforeGap;
    this.samplesLostBeforeGap = this.samples.lost;
    this.incident('history-gap', { message: gapMessage(gap, samplesLost), value: Math.round((gap.untilMs - gap.sinceMs) / 1000) });
  }

  /** Runs on the new file before any other write reaches it: the open runs again, then the alert that says why. */
  private async recordReopen(db: Database, lost: LostFile): Promise<void> {
    await db.exec(`PRAGMA busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`).catch(() => undefined);
    const { carried, notCarried } = await this.openRuns.carryInto(db);
    // Ids carry on above those handed out before, whatever the new file holds.
    this.nextRunId = Math.max(this.nextRunId, await firstFreeRunId(db));
    const writes: Promise<unknown>[] = [];
    this.reopening = { db, writes };
    try {
      this.incident('history-reopened', { message: reopenedMessage(this.connection.path, lost, carried, notCarried) });
    } finally {
      this.reopening = undefined;
    }
    await Promise.all(writes);
  }

  private incident(kind: HistoryIncident, details: RaiseDetails): void {
    if (this.options.onIncident) this.options.onIncident(kind, details);
    else this.options.logger?.warn(details.message);
  }
}

/** One above every run id the file has used (AUTOINCREMENT's sqlite_sequence, or the rows); read once at start. */
async function firstFreeRunId(db: Database): Promise<number> {
  const row = await db.get<{ next: number }>(
    "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0), COALESCE((SELECT MAX(id) FROM runs), 0)) + 1 AS next",
  );
  return row?.next ?? 1;
}
