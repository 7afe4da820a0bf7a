// Megabytes as this project means them everywhere (limits, samples, charts, history, logs, benches): MiB, 2^20 bytes.
// The one conversion: nothing else in the project defines the factor or its own bytes-to-MB function.

/** Bytes in one MB (a MiB): the one conversion factor, so a limit, its sample and its chart always agree. */
export const BYTES_PER_MB = 1024 * 1024;

/**
 * Bytes as MB: unrounded by default (charts, slopes, comparisons), or rounded to `decimals` places as a message, an
 * alert or a report prints it (`bytesToMb(rss, 1)`: "412.3 MB").
 */
export function bytesToMb(bytes: number, decimals?: number): number {
  const mb = bytes / BYTES_PER_MB;
  if (decimals === undefined) return mb;
  const scale = 10 ** decimals;
  return Math.round(mb * scale) / scale;
}

/** MB (a limit from the config) as bytes, to compare with a sample. */
export function mbToBytes(mb: number): number {
  return mb * BYTES_PER_MB;
}
