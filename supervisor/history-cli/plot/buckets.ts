// PURE: streams of (time, MB) → at most `count` points per series (each bucket's maximum), split into line segments.
// Keeps a year of samples plottable in bounded memory: the maximum is kept because a spike is what a post-mortem seeks.

export interface PlotPoint {
  readonly atMs: number;
  readonly mb: number;
}

export class MaxBuckets {
  private readonly mb: Float64Array;
  private readonly at: Float64Array;
  private readonly filled: Uint8Array;
  /** Set after a gap longer than `breakAfterMs`, so the line is cut there instead of bridging it. */
  private readonly breakBefore: Uint8Array;
  private lastAtMs: number | undefined;
  private lastBucket = -1;

  constructor(private readonly fromMs: number, private readonly toMs: number, private readonly count: number, private readonly breakAfterMs = Number.POSITIVE_INFINITY) {
    this.mb = new Float64Array(count);
    this.at = new Float64Array(count);
    this.filled = new Uint8Array(count);
    this.breakBefore = new Uint8Array(count);
  }

  /** Points must arrive in time order. */
  add(atMs: number, mb: number): void {
    if (atMs < this.fromMs || atMs > this.toMs) return;
    const span = Math.max(1, this.toMs - this.fromMs);
    const bucket = Math.min(this.count - 1, Math.floor(((atMs - this.fromMs) / span) * this.count));
    if (this.lastAtMs !== undefined && atMs - this.lastAtMs > this.breakAfterMs && bucket !== this.lastBucket) this.breakBefore[bucket] = 1;
    this.lastAtMs = atMs;
    this.lastBucket = bucket;
    if (!this.filled[bucket] || mb > (this.mb[bucket] ?? 0)) {
      this.mb[bucket] = mb;
      this.at[bucket] = atMs;
    }
    this.filled[bucket] = 1;
  }

  /** The kept points, split only where the samples had a gap longer than `breakAfterMs` (empty columns are bridged). */
  segments(): PlotPoint[][] {
    const out: PlotPoint[][] = [];
    let current: PlotPoint[] = [];
    for (let b = 0; b < this.count; b++) {
      if (!this.filled[b]) continue;
      if (this.breakBefore[b] && current.length) {
        out.push(current);
        current = [];
      }
      current.push({ atMs: this.at[b] ?? 0, mb: this.mb[b] ?? 0 });
    }
    if (current.length) out.push(current);
    return out;
  }
}
