import { readFileSync } from 'node:fs';
import { BYTES_PER_MB } from '../../shared/units.ts';

/** A `kB` field of /proc/<pid>/status in MB (Linux), e.g. `VmHWM`: the process's peak resident set since it started. */
export function procStatusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return (Number(kb) * 1024) / BYTES_PER_MB;
}
