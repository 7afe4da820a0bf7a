// Pure: what to do about one memory sample. No timers, no I/O; the caller acts on the verdict.

export type MemoryVerdict = 'ok' | 'warn' | 'terminate' | 'kill';

export interface MemoryLimits {
  readonly warnMb: number;
  readonly emergencyMb: number;
  readonly hardLimitMb: number;
}

const MB = 1024 * 1024;

/**
 * `kill` above the hard limit (at once, grace or not), `terminate` at the emergency line,
 * `warn` at the warning line. Thresholds are inclusive: reaching the line is crossing it.
 */
export function decide(rssBytes: number, limits: MemoryLimits): MemoryVerdict {
  if (rssBytes > limits.hardLimitMb * MB) return 'kill';
  if (rssBytes >= limits.emergencyMb * MB) return 'terminate';
  if (rssBytes >= limits.warnMb * MB) return 'warn';
  return 'ok';
}

export function toMb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}
