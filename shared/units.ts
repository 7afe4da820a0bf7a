// Megabytes as this project means them everywhere (limits, samples, charts, history): MiB, 2^20 bytes.

/** Bytes in one MB (a MiB): the one conversion factor, so a limit, its sample and its chart always agree. */
export const BYTES_PER_MB = 1024 * 1024;

/** Bytes as MB, unrounded (callers round for display as they need). */
export function bytesToMb(bytes: number): number {
  return bytes / BYTES_PER_MB;
}
