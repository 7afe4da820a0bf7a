import type { RunStatus } from './history/schema.ts';
import type { TreeSample } from './memory/memory-watch.ts';

export interface CurrentRun {
  readonly runId: number;
  readonly tickAtMs: number;
  readonly attempt: number;
  readonly startedAtMs: number;
  pid: number | undefined;
  rssBytes: number;
  pidCount: number;
  peakRssBytes: number;
}

export interface LivePoint {
  readonly atMs: number;
  readonly rssBytes: number;
  /** The run a runner point belongs to, so a chart can break its line between runs. */
  readonly runId?: number;
}

/** Points kept in memory for the dashboard's live charts; bounded so months of uptime cost nothing. */
const MAX_POINTS = 600;

// What the supervisor is doing right now, for /memory-status, /metrics and /healthz. Bounded by design.
export class LiveState {
  readonly startedAtMs: number;
  current: CurrentRun | undefined;
  nextTickAtMs: number | undefined;
  lastTickAtMs: number | undefined;
  lastOkAtMs: number | undefined;
  schedulerRunning = false;
  readonly runnerPoints: LivePoint[] = [];
  readonly supervisorPoints: LivePoint[] = [];
  readonly runsByStatus = new Map<RunStatus, number>();
  readonly killsByReason = new Map<string, number>();

  constructor(now: number) {
    this.startedAtMs = now;
  }

  runStarted(run: Omit<CurrentRun, 'pid' | 'rssBytes' | 'pidCount' | 'peakRssBytes'>): void {
    this.current = { ...run, pid: undefined, rssBytes: 0, pidCount: 0, peakRssBytes: 0 };
  }

  runnerSample(sample: TreeSample): void {
    if (this.current) {
      this.current.rssBytes = sample.rssBytes;
      this.current.pidCount = sample.pidCount;
      this.current.peakRssBytes = Math.max(this.current.peakRssBytes, sample.rssBytes);
    }
    push(this.runnerPoints, { atMs: sample.atMs, rssBytes: sample.rssBytes, runId: this.current?.runId });
  }

  supervisorSample(atMs: number, rssBytes: number): void {
    push(this.supervisorPoints, { atMs, rssBytes });
  }

  /** A tick skipped for overlap: counted, while the run it overlapped stays current. */
  tickSkipped(): void {
    this.count('skipped');
  }

  runEnded(status: RunStatus, reason: string | null, endedAtMs: number): void {
    this.current = undefined;
    this.count(status);
    if (reason !== null && (status === 'killed' || status === 'timeout' || status === 'interrupted')) {
      this.killsByReason.set(reason, (this.killsByReason.get(reason) ?? 0) + 1);
    }
    if (status === 'ok') this.lastOkAtMs = endedAtMs;
  }

  private count(status: RunStatus): void {
    this.runsByStatus.set(status, (this.runsByStatus.get(status) ?? 0) + 1);
  }
}

function push(points: LivePoint[], point: LivePoint): void {
  points.push(point);
  if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
}
