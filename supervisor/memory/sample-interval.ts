// Pure: when to take the next memory sample, from the last few samples and the memory lines. No timers, no I/O.
import { mbToBytes } from '../../shared/units.ts';
import type { MemoryLimits } from './decide.ts';

/** One past sample, as much of it as the plan needs. */
export interface RssPoint {
  readonly atMs: number;
  readonly rssBytes: number;
}

export interface IntervalBounds {
  /** `memory.sampleIntervalMs`: the period at a moderate distance from the line, and before a slope is known. */
  readonly baseMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** How many recent samples the slope is read from (about three base periods); the caller keeps no more. */
export const SLOPE_SAMPLES = 4;

/** Under this share of `emergencyMb`, with no crossing in sight, the tree is far below: sample at `maxMs`. */
const FAR_SHARE = 0.5;

/**
 * The next sample lands at most this fraction of the way to the predicted crossing, so the samples close in on it
 * (each halfway through the time left) until `minMs`, and a leak that speeds up by less than 2× is still met early.
 * A third would add samples (two more per run at 200 MB/s in a replay) for no gain on a steady leak.
 */
const LEAD_FRACTION = 1 / 2;

/**
 * Bounds from the configured period. Eight times faster at most: a crossing the slope foresaw is met within 13 ms
 * (at the default 100), for one sample more than a fixed period at 200 MB/s (fewer at 10 and 50). It is that tight as
 * the RSS pidusage reads (/proc/<pid>/stat, the kernel's per-CPU-batched counter) trails the exact count (statm) by
 * up to 32 pages a CPU (54 measured on 2 cores, Linux 6.18: 20 ms of a 10 MB/s leak), and a crossing should be acted
 * on within 50 ms.
 * Twice slower at most: a tree far below the line (an idle runner) costs half the CPU, and a sudden jump is still
 * seen within two periods. 10 ms is the floor `sampleIntervalMs` itself has.
 */
export function intervalBounds(sampleIntervalMs: number): IntervalBounds {
  return { baseMs: sampleIntervalMs, minMs: Math.max(10, Math.round(sampleIntervalMs / 8)), maxMs: sampleIntervalMs * 2 };
}

/**
 * The steepest growth (bytes per ms) among the recent samples: over the whole window and over the last step, so one
 * sudden jump counts at once while a steady leak is read over several periods. 0 when nothing grows.
 */
export function recentSlope(samples: readonly RssPoint[]): number {
  const last = samples.at(-1);
  if (!last || samples.length < 2) return 0;
  const rate = (from: RssPoint): number => (last.atMs > from.atMs ? (last.rssBytes - from.rssBytes) / (last.atMs - from.atMs) : 0);
  return Math.max(0, rate(samples[0] as RssPoint), rate(samples.at(-2) as RssPoint));
}

/**
 * The wait before the next sample: the earlier of two plans, held within [minMs, maxMs]. By the slope, half the
 * predicted time to the next line; by distance, `maxMs` under half the emergency line and `baseMs` above it. The
 * next line is `emergencyMb` below it, and `hardLimitMb` at or over it (a `sustainMs` wait, where a flat tree is
 * sampled at the base period as before). Over the hard limit a kill is under way: `minMs`. With one sample there
 * is no slope yet.
 */
export function nextSampleIntervalMs(samples: readonly RssPoint[], limits: Pick<MemoryLimits, 'emergencyMb' | 'hardLimitMb'>, bounds: IntervalBounds): number {
  const last = samples.at(-1);
  if (!last) return bounds.baseMs;
  const emergencyBytes = mbToBytes(limits.emergencyMb);
  const headroom = (last.rssBytes < emergencyBytes ? emergencyBytes : mbToBytes(limits.hardLimitMb)) - last.rssBytes;
  if (headroom <= 0) return bounds.minMs;
  const byDistance = last.rssBytes < emergencyBytes * FAR_SHARE && samples.length > 1 ? bounds.maxMs : bounds.baseMs;
  const slope = recentSlope(samples);
  const bySlope = slope > 0 ? (headroom / slope) * LEAD_FRACTION : Number.POSITIVE_INFINITY;
  return Math.round(Math.min(bounds.maxMs, Math.max(bounds.minMs, Math.min(byDistance, bySlope))));
}
