import type { Database } from '../../shared/sqlite.ts';
import type { RunLimits } from '../vocabulary/run-limits.ts';

/** What a `running` row holds before its run finishes: enough to write it again. */
export interface OpenRunRow extends RunLimits {
  readonly tickAtMs: number;
  readonly attempt: number;
  readonly command: string;
  readonly startedAtMs: number;
}

interface OpenRun {
  readonly row: OpenRunRow;
  pid: number | null;
  pidStartTicks: number | null;
  /** False once a reopen could not write the row into the new file (its id was taken there). */
  inCurrentFile: boolean;
}

/**
 * The runs whose rows still say `running`, remembered so that a fresh history.db (after the old one was deleted)
 * gets them again under the same ids. Re-inserting beats finishing them early: the row keeps the pid that lets the
 * next supervisor reap the child if this one dies, and the run's closing UPDATE, alerts and later samples land on
 * it as if nothing had happened. Ids also carry on from the old file, so "run 42" in the log is never another run.
 */
export class OpenRuns {
  private readonly open = new Map<number, OpenRun>();
  private highestId = 0;

  started(id: number, row: OpenRunRow): void {
    this.open.set(id, { row, pid: null, pidStartTicks: null, inCurrentFile: true });
    this.sawId(id);
  }

  /** Any run id handed out (skips included), so a new file's ids start above it. */
  sawId(id: number): void {
    this.highestId = Math.max(this.highestId, id);
  }

  pidRecorded(id: number, pid: number, startTicks: number | null): void {
    const run = this.open.get(id);
    if (run) Object.assign(run, { pid, pidStartTicks: startTicks });
  }

  finished(id: number): void {
    this.open.delete(id);
  }

  /** False when the run's row is not in the file now open, and an UPDATE by its id would hit another run's row. */
  inCurrentFile(id: number): boolean {
    return this.open.get(id)?.inCurrentFile ?? true;
  }

  /** Writes the open rows into a freshly (re)opened file; returns the ids carried and those whose id was taken there. */
  async carryInto(db: Database): Promise<{ carried: number[]; notCarried: number[] }> {
    const carried: number[] = [];
    const notCarried: number[] = [];
    await db.transaction(async () => {
      // A fresh file has no sequence row for runs yet; AUTOINCREMENT then continues after max(seq, largest id).
      await db.run("INSERT INTO sqlite_sequence (name, seq) SELECT 'runs', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'runs')");
      await db.run("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'runs'", [this.highestId]);
      for (const [id, run] of this.open) {
        const { row } = run;
        const { changes } = await db.run(
          `INSERT OR IGNORE INTO runs (id, tick_at_ms, attempt, command, started_at_ms, status, pid, pid_start_ticks, warn_mb, emergency_mb, hard_limit_mb, grace_ms, sustain_ms, timeout_ms)
           VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, row.tickAtMs, row.attempt, row.command, row.startedAtMs, run.pid, run.pidStartTicks, row.warnMb, row.emergencyMb, row.hardLimitMb, row.graceMs, row.sustainMs, row.timeoutMs],
        );
        run.inCurrentFile = changes === 1;
        (run.inCurrentFile ? carried : notCarried).push(id);
      }
    });
    return { carried, notCarried };
  }
}
