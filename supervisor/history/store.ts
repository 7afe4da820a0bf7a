import type { Logger } from '../../shared/logger.ts';
import { alertKindEntry } from '../alerts/catalogue.ts';
import type { Database } from '../../shared/sqlite.ts';
import type { RunReport } from '../run/run-report.ts';
import type { TrendStats } from '../trend/stats.ts';
import { HistoryConnection, reopenedMessage, type LostFile } from './history-connection.ts';
import { OpenRuns } from './open-runs.ts';
import { insertAlert, type NewDelivery } from './outbox.ts';
import type { AlertLevel, MemorySource } from './schema.ts';
import { SampleBuffer, type MemorySampleRow } from './sample-buffer.ts';
import { writeWorklistChanges } from './worklist-changes.ts';
import type { WorklistChange } from '../../shared/protocol.ts';

export interface NewRun {
  readonly tickAtMs: number;
  readonly attempt: number;
  readonly command: string;
  readonly startedAtMs: number;
}

/** The limits a run is held to, stored on its row. */
export interface RunLimits {
  readonly warnMb: number;
  readonly emergencyMb: number;
  readonly hardLimitMb: number;
  readonly graceMs: number;
  /** memory.sustainMs: how long the tree may stay at the emergency line before it is stopped. */
  readonly sustainMs: number;
  readonly timeoutMs: number;
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
  /** The outbox rows of an alert the store raises itself (`history-reopened`); none when absent. */
  readonly routeAlert?: (kind: string) => readonly NewDelivery[];
}

// The write side of history.db: run rows written at once, samples in batches, on a connection that follows the path.
export class HistoryStore {
  private readonly connection: HistoryConnection;
  private readonly samples: SampleBuffer;
  private readonly openRuns = new OpenRuns();
  private readonly timer: NodeJS.Timeout;

  constructor(db: Database, private readonly options: HistoryStoreOptions = {}) {
    const { logger, reopenWith } = options;
    this.connection = new HistoryConnection(db, reopenWith ? { open: reopenWith, logger, onReopened: (next, lost) => this.recordReopen(next, lost) } : undefined);
    this.samples = new SampleBuffer((sql, params) => this.connection.use((current) => current.run(sql, params)), logger);
    // Once a second at most a second of samples is at risk, and a deleted file is noticed by the next flush.
    this.timer = setInterval(() => void this.flush(), options.flushEveryMs ?? 1000);
    this.timer.unref();
  }

  /** The connection in force; after a reopen it is the new file's, so read it at each use and never keep it. */
  get db(): Database {
    return this.connection.db;
  }

  /** Samples dropped because their write failed. */
  get samplesLost(): number {
    return this.samples.lost;
  }

  async startRun(run: NewRun, limits: RunLimits): Promise<number> {
    // Checked before every row, not only each second: a new run's row must never go into a deleted file.
    await this.connection.verify();
    const result = await this.connection.use((db) => db.run(
      `INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, status, warn_mb, emergency_mb, hard_limit_mb, grace_ms, sustain_ms, timeout_ms)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)`,
      [run.tickAtMs, run.attempt, run.command, run.startedAtMs, limits.warnMb, limits.emergencyMb, limits.hardLimitMb, limits.graceMs, limits.sustainMs, limits.timeoutMs],
    ));
    this.openRuns.started(result.lastID, { ...run, ...limits });
    return result.lastID;
  }

  async recordPid(runId: number, pid: number, startTicks: number | undefined): Promise<void> {
    // Remembered first, so a reopen between here and the UPDATE still writes the pid into the new file.
    this.openRuns.pidRecorded(runId, pid, startTicks ?? null);
    if (!this.openRuns.inCurrentFile(runId)) return;
    await this.connection.use((db) => db.run('UPDATE runs SET pid = ?, pid_start_ticks = ? WHERE id = ?', [pid, startTicks ?? null, runId]));
  }

  async recordSkipped(run: NewRun & { reason: string }): Promise<number> {
    await this.connection.verify();
    const result = await this.connection.use((db) => db.run(
      `INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, ended_at_ms, status, reason) VALUES (?, ?, ?, ?, ?, 'skipped', ?)`,
      [run.tickAtMs, run.attempt, run.command, run.startedAtMs, run.startedAtMs, run.reason],
    ));
    this.openRuns.sawId(result.lastID);
    return result.lastID;
  }

  async finishRun(runId: number, run: FinishedRun): Promise<void> {
    await this.flush();
    // A run whose id was taken in a replacement file has no row here; updating by id would rewrite someone else's.
    if (!this.openRuns.inCurrentFile(runId)) return this.openRuns.finished(runId);
    try {
      await this.connection.use((db) => db.run(
        `UPDATE runs SET ended_at_ms = ?, status = ?, reason = ?, exit_code = ?, signal = ?, force_killed = ?, stragglers_killed = ?, peak_rss_bytes = ?,
           peak_pid_count = ?, sample_count = ?, warned_at_ms = ?, emergency_at_ms = ?, terminated_at_ms = ?, error = ?, result_json = ? WHERE id = ?`,
        [run.endedAtMs, run.status, run.reason, run.exitCode, run.signal, run.forceKilled ? 1 : 0, run.stragglersKilled, run.peakRssBytes, run.peakPidCount,
          run.sampleCount, run.warnedAtMs, run.emergencyAtMs, run.terminatedAtMs, run.error, run.resultJson, runId],
      ));
    } finally {
      // Forgotten only now: a reopen while the UPDATE waited must still carry the row it updates.
      this.openRuns.finished(runId);
    }
  }

  addSample(source: MemorySource, sample: Omit<MemorySampleRow, 'source'>): void {
    this.samples.add({ source, ...sample });
  }

  async addAlert(alert: NewAlert): Promise<number> {
    await this.connection.verify();
    return this.connection.use((db) => insertAlert(db, { ...alert, value: alert.value ?? null, runId: alert.runId ?? null }, alert.deliveries ?? []));
  }

  /** One message of the runner's worklist status changes (worklist-changes.ts); resolves to those new to this file. */
  async addWorklistChanges(changes: readonly WorklistChange[], receivedAtMs: number): Promise<WorklistChange[]> {
    await this.connection.verify();
    return this.connection.use((db) => writeWorklistChanges(db, changes, receivedAtMs));
  }

  /** One `trend_snapshots` row: the figures of the periodic trend summary line (FR-6.5). */
  async addTrendSnapshot(atMs: number, source: MemorySource, stats: TrendStats): Promise<void> {
    await this.connection.use((db) => db.run(
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

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.samples.flush();
    await this.connection.close();
  }

  /** Runs on the new file before any other write reaches it: the open runs again, then the alert that says why. */
  private async recordReopen(db: Database, lost: LostFile): Promise<void> {
    const { carried, notCarried } = await this.openRuns.carryInto(db);
    const message = reopenedMessage(this.connection.path, lost, carried, notCarried);
    this.options.logger?.warn(message);
    const atMs = (this.options.now ?? Date.now)();
    const reopened = { atMs, level: alertKindEntry('history-reopened').severity, kind: 'history-reopened', message, value: null, runId: null } as const;
    await insertAlert(db, reopened, this.options.routeAlert?.(reopened.kind) ?? []);
  }
}
