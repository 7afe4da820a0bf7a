import type { Database } from '../../shared/sqlite.ts';
import type { RunReport } from '../run-report.ts';
import type { AlertLevel, MemorySource } from './schema.ts';
import { SampleBuffer, type MemorySampleRow } from './sample-buffer.ts';

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
}

// The write side of history.db: one connection, run rows written at once, samples in batches.
export class HistoryStore {
  private readonly samples: SampleBuffer;

  constructor(readonly db: Database, options: { flushEveryMs?: number } = {}) {
    this.samples = new SampleBuffer(db, options.flushEveryMs ?? 1000);
  }

  async startRun(run: NewRun, limits: RunLimits): Promise<number> {
    const result = await this.db.run(
      `INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, status, warn_mb, emergency_mb, hard_limit_mb, grace_ms, timeout_ms)
       VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
      [run.tickAtMs, run.attempt, run.command, run.startedAtMs, limits.warnMb, limits.emergencyMb, limits.hardLimitMb, limits.graceMs, limits.timeoutMs],
    );
    return result.lastID;
  }

  async recordPid(runId: number, pid: number, startTicks: number | undefined): Promise<void> {
    await this.db.run('UPDATE runs SET pid = ?, pid_start_ticks = ? WHERE id = ?', [pid, startTicks ?? null, runId]);
  }

  async recordSkipped(run: NewRun & { reason: string }): Promise<number> {
    const result = await this.db.run(
      `INSERT INTO runs (tick_at_ms, attempt, command, started_at_ms, ended_at_ms, status, reason) VALUES (?, ?, ?, ?, ?, 'skipped', ?)`,
      [run.tickAtMs, run.attempt, run.command, run.startedAtMs, run.startedAtMs, run.reason],
    );
    return result.lastID;
  }

  async finishRun(runId: number, run: FinishedRun): Promise<void> {
    await this.samples.flush();
    await this.db.run(
      `UPDATE runs SET ended_at_ms = ?, status = ?, reason = ?, exit_code = ?, signal = ?, force_killed = ?, peak_rss_bytes = ?,
         peak_pid_count = ?, sample_count = ?, warned_at_ms = ?, emergency_at_ms = ?, error = ?, result_json = ? WHERE id = ?`,
      [run.endedAtMs, run.status, run.reason, run.exitCode, run.signal, run.forceKilled ? 1 : 0, run.peakRssBytes, run.peakPidCount,
        run.sampleCount, run.warnedAtMs, run.emergencyAtMs, run.error, run.resultJson, runId],
    );
  }

  addSample(source: MemorySource, sample: Omit<MemorySampleRow, 'source'>): void {
    this.samples.add({ source, ...sample });
  }

  async addAlert(alert: NewAlert): Promise<number> {
    const result = await this.db.run('INSERT INTO alerts (at_ms, level, kind, message, value, run_id) VALUES (?, ?, ?, ?, ?, ?)', [
      alert.atMs, alert.level, alert.kind, alert.message, alert.value ?? null, alert.runId ?? null,
    ]);
    return result.lastID;
  }

  flush(): Promise<void> {
    return this.samples.flush();
  }

  async close(): Promise<void> {
    await this.samples.stop();
    await this.db.close();
  }
}
