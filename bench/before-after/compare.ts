// Pure: the two builds' figures, run by run, into one row per figure: median before, median after, after / before.
import { median, round } from '../lib/stats.ts';

export type Side = 'before' | 'after';
export type Series = Record<string, Record<Side, number[]>>;

export interface ComparedRow {
  readonly figure: string;
  readonly before: number;
  readonly after: number;
  /** after / before: under 1 is better for the latency, overshoot, RSS and CPU figures alike. */
  readonly ratio: number;
  /** Runs on each side (the fewer, should one side have lost a run). */
  readonly n: number;
  readonly beforeRuns: readonly number[];
  readonly afterRuns: readonly number[];
}

/** Adds one run's figures (NaN and missing ones skipped) to the series of `side`. */
export function addRun(series: Series, side: Side, figures: Readonly<Record<string, number | undefined>>): void {
  for (const [key, value] of Object.entries(figures)) {
    if (value === undefined || !Number.isFinite(value)) continue;
    (series[key] ??= { before: [], after: [] })[side].push(value);
  }
}

/** One row per figure, in `order`; a figure with no run on either side is left out. */
export function compareRows(series: Series, order: readonly string[]): ComparedRow[] {
  return order.flatMap((figure) => {
    const s = series[figure];
    if (!s || s.before.length === 0 || s.after.length === 0) return [];
    const before = median(s.before);
    const after = median(s.after);
    const digits = Math.abs(before) < 1 ? 3 : 1;
    return [{
      figure,
      before: round(before, digits),
      after: round(after, digits),
      ratio: before === 0 ? (after === 0 ? 1 : Number.POSITIVE_INFINITY) : round(after / before, 2),
      n: Math.min(s.before.length, s.after.length),
      beforeRuns: s.before.map((v) => round(v, digits)),
      afterRuns: s.after.map((v) => round(v, digits)),
    }];
  });
}

/** Counts of each value, e.g. the first signal per run: { SIGKILL: 4 }. */
export function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
