import type { RunStatus } from './vocabulary/words.ts';
import type { WorklistChange } from '../shared/protocol.ts';
import type { TreeSample } from './memory/memory-watch.ts';
import { RUN_STATUS_FACTS } from './vocabulary/run-status.ts';

/** The run in flight, as readers see it: a copy, so nothing outside LiveState can change it. */
export interface CurrentRun {
  readonly runId: number;
  readonly tickAtMs: number;
  readonly attempt: number;
  readonly startedAtMs: number;
  readonly pid: number | undefined;
  readonly rssBytes: number;
  readonly pidCount: number;
  readonly peakRssBytes: number;
}

export interface LivePoint {
  readonly atMs: number;
  readonly rssBytes: number;
  /** The run a runner point belongs to, so a chart can break its line between runs. */
  readonly runId?: number;
}

/** Everything LiveState knows at one moment, frozen: what /memory-status, /metrics and /healthz read. */
export interface LiveSnapshot {
  readonly startedAtMs: number;
  readonly current: CurrentRun | undefined;
  readonly lastTickAtMs: number | undefined;
  readonly lastOkAtMs: number | undefined;
  readonly schedulerRunning: boolean;
  readonly runsByStatus: Readonly<Partial<Record<RunStatus, number>>>;
  readonly killsByReason: Readonly<Record<string, number>>;
}

/** Points kept in memory for the dashboard's live charts; bounded so months of uptime cost nothing. */
const MAX_POINTS = 600;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * What the supervisor is doing right now, for /memory-status, /metrics and /healthz. Bounded by design. Changed only
 * through its event methods; readers get copies. The next tick is not kept here: the scheduler alone knows it.
 */
export class LiveState {
  readonly startedAtMs: number;
  #current: Mutable<CurrentRun> | undefined;
  #lastTickAtMs: number | undefined;
  #lastOkAtMs: number | undefined;
  #schedulerRunning = false;
  readonly #runnerPoints: LivePoint[] = [];
  readonly #supervisorPoints: LivePoint[] = [];
  readonly #runsByStatus = new Map<RunStatus, number>();
  readonly #killsByReason = new Map<string, number>();
  /** Every worklist status change history.db holds, by reason: seeded from it at start, then counted as written. */
  readonly #worklistChangesByReason = new Map<string, number>();

  constructor(now: number) {
    this.startedAtMs = now;
  }

  get current(): CurrentRun | undefined {
    return this.#current && { ...this.#current };
  }

  get lastTickAtMs(): number | undefined {
    return this.#lastTickAtMs;
  }

  get lastOkAtMs(): number | undefined {
    return this.#lastOkAtMs;
  }

  get schedulerRunning(): boolean {
    return this.#schedulerRunning;
  }

  get runnerPoints(): readonly LivePoint[] {
    return this.#runnerPoints;
  }

  get supervisorPoints(): readonly LivePoint[] {
    return this.#supervisorPoints;
  }

  get runsByStatus(): ReadonlyMap<RunStatus, number> {
    return this.#runsByStatus;
  }

  get killsByReason(): ReadonlyMap<string, number> {
    return this.#killsByReason;
  }

  get worklistChangesByReason(): ReadonlyMap<string, number> {
    return this.#worklistChangesByReason;
  }

  snapshot(): LiveSnapshot {
    return Object.freeze({
      startedAtMs: this.startedAtMs,
      current: this.current,
      lastTickAtMs: this.#lastTickAtMs,
      lastOkAtMs: this.#lastOkAtMs,
      schedulerRunning: this.#schedulerRunning,
      runsByStatus: Object.freeze(Object.fromEntries(this.#runsByStatus)),
      killsByReason: Object.freeze(Object.fromEntries(this.#killsByReason)),
    });
  }

  schedulerStarted(): void {
    this.#schedulerRunning = true;
  }

  schedulerStopped(): void {
    this.#schedulerRunning = false;
  }

  tickStarted(atMs: number): void {
    this.#lastTickAtMs = atMs;
  }

  runStarted(run: Pick<CurrentRun, 'runId' | 'tickAtMs' | 'attempt' | 'startedAtMs'>): void {
    this.#current = { ...run, pid: undefined, rssBytes: 0, pidCount: 0, peakRssBytes: 0 };
  }

  runSpawned(pid: number): void {
    if (this.#current) this.#current.pid = pid;
  }

  runnerSample(sample: TreeSample): void {
    const current = this.#current;
    if (current) {
      current.rssBytes = sample.rssBytes;
      current.pidCount = sample.pidCount;
      current.peakRssBytes = Math.max(current.peakRssBytes, sample.rssBytes);
    }
    push(this.#runnerPoints, { atMs: sample.atMs, rssBytes: sample.rssBytes, runId: current?.runId });
  }

  supervisorSample(atMs: number, rssBytes: number): void {
    push(this.#supervisorPoints, { atMs, rssBytes });
  }

  /** A tick skipped for overlap: counted, while the run it overlapped stays current. */
  tickSkipped(): void {
    this.count('skipped');
  }

  runEnded(status: RunStatus, reason: string | null, endedAtMs: number): void {
    this.#current = undefined;
    this.count(status);
    if (reason !== null && RUN_STATUS_FACTS[status].stoppedBySupervisor) {
      this.#killsByReason.set(reason, (this.#killsByReason.get(reason) ?? 0) + 1);
    }
    if (status === 'ok') this.#lastOkAtMs = endedAtMs;
  }

  /** The counts history.db holds when the supervisor starts (one GROUP BY), so /metrics never scans the table. */
  worklistChangesSeeded(counts: Readonly<Partial<Record<string, number>>>): void {
    for (const [reason, n] of Object.entries(counts)) this.#worklistChangesByReason.set(reason, (this.#worklistChangesByReason.get(reason) ?? 0) + (n ?? 0));
  }

  /** Changes just written to history.db (a re-sent one that was already there is not passed here). */
  worklistChanged(changes: readonly Pick<WorklistChange, 'reason'>[]): void {
    for (const { reason } of changes) this.#worklistChangesByReason.set(reason, (this.#worklistChangesByReason.get(reason) ?? 0) + 1);
  }

  private count(status: RunStatus): void {
    this.#runsByStatus.set(status, (this.#runsByStatus.get(status) ?? 0) + 1);
  }
}

function push(points: LivePoint[], point: LivePoint): void {
  points.push(point);
  if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
}
