// PURE: a memory curve → one line of block characters for the terminal.

const BARS = '▁▂▃▄▅▆▇█';

/**
 * Resamples `values` into at most `width` buckets, keeping each bucket's maximum (a spike must not vanish), and
 * scales from `floor` (default 0, so the height reads as absolute memory) to the largest value.
 */
export function sparkline(values: readonly number[], width = 60, floor = 0): string {
  if (values.length === 0) return '';
  const buckets = Math.min(width, values.length);
  const peaks: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * values.length) / buckets);
    const end = Math.max(start + 1, Math.floor(((b + 1) * values.length) / buckets));
    peaks.push(Math.max(...values.slice(start, end)));
  }
  const top = Math.max(...peaks);
  const range = top - floor;
  return peaks.map((v) => BARS[range <= 0 ? BARS.length - 1 : Math.min(BARS.length - 1, Math.max(0, Math.floor(((v - floor) / range) * (BARS.length - 1) + 0.5)))]).join('');
}
