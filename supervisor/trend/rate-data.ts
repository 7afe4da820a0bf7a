// PURE: is there enough data behind a growth rate to say it out loud? One rule for the alerts, the log and `history
// trend`: a slope over 4 points and 6 minutes is noise, and printing it ("+34.97 MB/h, 3.7 h to emergency") misleads.
import type { TrendStats } from '../vocabulary/trend-stats.ts';

export interface RateDataNeed {
  /** Fewest points a rate is computed from (trend.minPoints). */
  readonly minPoints: number;
  /** Shortest span they cover (trend.minSpanMs). */
  readonly minSpanMs: number;
}

function span(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} seconds`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${(ms / 3_600_000).toFixed(1)} hours`;
}

/** Null when the rate stands on enough data; else the sentence that says what is missing. */
export function notEnoughData(stats: Pick<TrendStats, 'slopePoints' | 'slopeSpanMs'>, need: RateDataNeed): string | null {
  if (stats.slopePoints >= need.minPoints && stats.slopeSpanMs >= need.minSpanMs) return null;
  const points = `${stats.slopePoints} ${stats.slopePoints === 1 ? 'point' : 'points'}`;
  return `not enough data: ${points} over ${span(stats.slopeSpanMs)}; need ≥ ${need.minPoints} over ≥ ${span(need.minSpanMs)}`;
}
