// PURE: a rolling window of memory measurements → the statistics an operator reads (FR-6.1, 6.2, 6.5).
// No fs, timers, process or sqlite here; callers pass fixed timestamps.
import type { TrendPoint, TrendStats } from '../vocabulary/trend-stats.ts';
import { notEnoughData, type RateDataNeed } from './rate-data.ts';

const MS_PER_HOUR = 3_600_000;

// Slope in MB/h and its standard error; x is in hours from the first point so epoch values don't eat float precision.
function leastSquaresSlope(points: readonly TrendPoint[]): { slope: number; stdErr: number | null } {
  const first = points[0];
  if (!first || points.length < 2) return { slope: 0, stdErr: null };
  const xs = points.map((p) => (p.atMs - first.atMs) / MS_PER_HOUR);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = points.reduce((sum, p) => sum + p.mb, 0) / points.length;
  let covariance = 0;
  let varianceX = 0;
  points.forEach((p, i) => {
    const dx = (xs[i] ?? 0) - meanX;
    covariance += dx * (p.mb - meanY);
    varianceX += dx * dx;
  });
  if (varianceX === 0) return { slope: 0, stdErr: null };
  const slope = covariance / varianceX;
  if (points.length < 3) return { slope, stdErr: null };
  const intercept = meanY - slope * meanX;
  const squaredResiduals = points.reduce((sum, p, i) => sum + (p.mb - (intercept + slope * (xs[i] ?? 0))) ** 2, 0);
  return { slope, stdErr: Math.sqrt(squaredResiduals / (points.length - 2) / varianceX) };
}

function projectHours(currentMb: number, growthMbPerHour: number, emergencyMb: number): number | null {
  if (currentMb >= emergencyMb) return 0;
  if (growthMbPerHour <= 0) return null;
  return (emergencyMb - currentMb) / growthMbPerHour;
}

// Statistics of one series; undefined for an empty window. Input order doesn't matter (sorted by time here).
export function computeTrend(points: readonly TrendPoint[], options: { readonly emergencyMb: number }): TrendStats | undefined {
  const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return undefined;
  const values = sorted.map((p) => p.mb);
  const whole = sorted.filter((p) => !p.cut);
  const { slope: growthMbPerHour, stdErr } = leastSquaresSlope(whole);
  return {
    points: sorted.length,
    spanMs: last.atMs - first.atMs,
    firstAtMs: first.atMs,
    lastAtMs: last.atMs,
    currentMb: last.mb,
    avgMb: values.reduce((sum, v) => sum + v, 0) / values.length,
    minMb: Math.min(...values),
    maxMb: Math.max(...values),
    growthMbPerHour,
    slopePoints: whole.length,
    slopeSpanMs: whole.length < 2 ? 0 : (whole[whole.length - 1]?.atMs ?? 0) - (whole[0]?.atMs ?? 0),
    cutPoints: sorted.length - whole.length,
    growthStdErrMbPerHour: stdErr,
    hoursToEmergency: projectHours(last.mb, growthMbPerHour, options.emergencyMb),
  };
}

/**
 * One line for logs and the CLI: "current 212.0 MB, avg 205.3, min 190.1, max 230.4, growth +3.20 MB/h (…)", or
 * "growth: not enough data: 4 points over 6 minutes; need ≥ 10 over ≥ 10 minutes" rather than a rate from noise.
 */
export function describeTrend(stats: TrendStats, need: RateDataNeed): string {
  const levels = `current ${stats.currentMb.toFixed(1)} MB, avg ${stats.avgMb.toFixed(1)}, min ${stats.minMb.toFixed(1)}, max ${stats.maxMb.toFixed(1)}`;
  const cut = stats.cutPoints > 0 ? `; ${stats.cutPoints} killed run(s) left out of the rate, their peaks are where they were stopped` : '';
  const missing = notEnoughData(stats, need);
  if (missing !== null) return `${levels}, growth: ${missing}${cut}`;
  const sign = stats.growthMbPerHour >= 0 ? '+' : '';
  const eta = stats.hoursToEmergency === null ? 'not growing' : stats.hoursToEmergency === 0 ? 'at or above emergency' : `${stats.hoursToEmergency.toFixed(1)} h to emergency`;
  return `${levels}, growth ${sign}${stats.growthMbPerHour.toFixed(2)} MB/h (${eta}; ${stats.slopePoints} points over ${(stats.slopeSpanMs / MS_PER_HOUR).toFixed(1)} h${cut})`;
}
