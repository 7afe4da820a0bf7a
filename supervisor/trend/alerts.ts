// PURE: trend statistics + the previous alert state → the next state and the alerts to record (FR-6.3, 6.4).
// Hysteresis: a condition raises once when it starts and recovers once when it ends, never once per cycle.
import type { TrendStats } from '../vocabulary/trend-stats.ts';
import { notEnoughData } from './rate-data.ts';

export type TrendCondition = 'growth' | 'absolute';

/** Which conditions are currently raised; persisted implicitly as the last `alerts` row of each kind. */
export interface TrendAlertState {
  readonly growth: boolean;
  readonly absolute: boolean;
}

export interface TrendAlertEvent {
  readonly level: 'warning' | 'critical' | 'info';
  readonly kind: TrendCondition;
  readonly phase: 'raised' | 'recovered';
  readonly message: string;
  /** MB/h for growth, MB for absolute. */
  readonly value: number;
}

export interface TrendAlertOptions {
  readonly minPoints: number;
  readonly minSpanMs: number;
  readonly warnMbPerHour: number;
  readonly criticalMb: number;
  /** Names the series in messages, e.g. `runner peak RSS`. @default 'memory' */
  readonly label?: string;
  /**
   * A raised condition recovers only below threshold × (1 − margin), so a value hovering at the line
   * doesn't alternate raise/recover every cycle. @default 0.2 for growth, 0.05 for absolute
   */
  readonly growthRecoveryMargin?: number;
  readonly absoluteRecoveryMargin?: number;
}

export const initialTrendAlertState: TrendAlertState = { growth: false, absolute: false };

function growthEvent(raised: boolean, stats: TrendStats, options: TrendAlertOptions, label: string): TrendAlertEvent | undefined {
  // A slope over a handful of points or a few minutes is noise, so growth is judged only on a mature window.
  if (notEnoughData(stats, options) !== null) return undefined;
  const growth = stats.growthMbPerHour;
  const recoverBelow = options.warnMbPerHour * (1 - (options.growthRecoveryMargin ?? 0.2));
  // Early windows are noisy: raise only when the slope stands clear of its own noise (t > 3), and recover only
  // when even its upper bound (+2 standard errors) is under the line, so noise neither invents nor hides a leak.
  const stdErr = stats.growthStdErrMbPerHour ?? 0;
  if (!raised && growth > options.warnMbPerHour && growth > 3 * stdErr) {
    return {
      level: 'warning', kind: 'growth', phase: 'raised', value: growth,
      message: `${label} growing ${growth.toFixed(2)} MB/h, above the ${options.warnMbPerHour} MB/h warning (${stats.slopePoints} points over ${(stats.slopeSpanMs / 3_600_000).toFixed(1)} h, now ${stats.currentMb.toFixed(1)} MB)`,
    };
  }
  if (raised && growth + 2 * stdErr < recoverBelow) {
    return {
      level: 'info', kind: 'growth', phase: 'recovered', value: growth,
      message: `${label} growth recovered: ${growth.toFixed(2)} MB/h, below ${recoverBelow.toFixed(2)} MB/h`,
    };
  }
  return undefined;
}

// A single measured value above the line is a fact, not an extrapolation, so absolute alerts need no mature window.
function absoluteEvent(raised: boolean, stats: TrendStats, options: TrendAlertOptions, label: string): TrendAlertEvent | undefined {
  const current = stats.currentMb;
  const recoverBelow = options.criticalMb * (1 - (options.absoluteRecoveryMargin ?? 0.05));
  if (!raised && current > options.criticalMb) {
    return {
      level: 'critical', kind: 'absolute', phase: 'raised', value: current,
      message: `${label} at ${current.toFixed(1)} MB, above the ${options.criticalMb} MB critical limit`,
    };
  }
  if (raised && current < recoverBelow) {
    return {
      level: 'info', kind: 'absolute', phase: 'recovered', value: current,
      message: `${label} recovered: ${current.toFixed(1)} MB, below ${recoverBelow.toFixed(1)} MB`,
    };
  }
  return undefined;
}

// The next alert state and the events that moved it there; an empty `events` means "nothing changed".
export function evaluateTrendAlerts(
  previous: TrendAlertState,
  stats: TrendStats,
  options: TrendAlertOptions,
): { state: TrendAlertState; events: TrendAlertEvent[] } {
  const label = options.label ?? 'memory';
  const events = [growthEvent(previous.growth, stats, options, label), absoluteEvent(previous.absolute, stats, options, label)].filter(
    (event): event is TrendAlertEvent => event !== undefined,
  );
  const state: { -readonly [K in keyof TrendAlertState]: TrendAlertState[K] } = { ...previous };
  for (const event of events) state[event.kind] = event.phase === 'raised';
  return { state, events };
}
