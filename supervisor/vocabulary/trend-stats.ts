// The shape of a memory trend: the points it is computed from and the statistics an operator reads. Computed in
// trend/stats.ts, stored by history (trend snapshots), read by the status page, /metrics and `history trend`.
import type { MemorySource } from './words.ts';

export interface TrendPoint {
  readonly atMs: number;
  readonly mb: number;
  /**
   * A runner peak cut short by a kill: it is where the run was stopped, not where it would have gone, so it counts
   * for the current, min and max but not for the growth rate (a kill sawtooth is not a trend).
   */
  readonly cut?: boolean;
}

export interface TrendStats {
  readonly points: number;
  /** Newest timestamp minus oldest. */
  readonly spanMs: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  /** The newest measurement. */
  readonly currentMb: number;
  readonly avgMb: number;
  readonly minMb: number;
  readonly maxMb: number;
  /** Least-squares slope over the real timestamps, so irregular intervals are weighted by time, not by index. */
  readonly growthMbPerHour: number;
  /** The points the slope is computed from (all but the cut ones), and the time they span. */
  readonly slopePoints: number;
  readonly slopeSpanMs: number;
  /** Points left out of the slope: runs the supervisor killed. */
  readonly cutPoints: number;
  /** Standard error of that slope (null under 3 points): how much of the "growth" could be noise. */
  readonly growthStdErrMbPerHour: number | null;
  /** Hours until `emergencyMb` at the current growth; 0 when already there; null when not growing. */
  readonly hoursToEmergency: number | null;
}

/** The newest statistics of each series (trend/monitor.ts's `latest()`); a series with no data yet is absent. */
export type LatestTrends = { readonly [source in MemorySource]?: TrendStats };
