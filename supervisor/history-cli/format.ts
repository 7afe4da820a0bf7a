// Text formatting shared by the history commands: times, durations, megabytes and aligned tables.

import { bytesToMb } from '../../shared/units.ts';

/** A recorded byte count (null when the run never had one) as MB for JSON output. */
export function mbOrNull(bytes: number | null): number | null {
  return bytes === null ? null : bytesToMb(bytes);
}

export function formatMb(bytes: number | null): string {
  return bytes === null ? '-' : bytesToMb(bytes).toFixed(1);
}

/**
 * A time formatter for one time zone (the `TZ` the CLI was given, else the machine's), with the zone on every time:
 * `2026-01-31 14:05:09 UTC`, `2026-01-31 15:05:09 UTC+01:00`. The logs are in UTC; a post-mortem lines the two up,
 * so a history time must never be read as UTC when it is not. The local zone stays, because the operator's day is in it.
 */
export function timeFormatter(timeZone: string | undefined): (ms: number | null) => string {
  let format: Intl.DateTimeFormat;
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' };
  try {
    format = new Intl.DateTimeFormat('sv-SE', { ...options, timeZone });
  } catch {
    // An unknown TZ name falls back to the machine's zone rather than failing a post-mortem.
    format = new Intl.DateTimeFormat('sv-SE', options);
  }
  // sv-SE writes `2026-01-31 15:05:09 GMT+01:00` (`GMT` or `GMT+00:00` in UTC, a U+2212 minus west of it): said as
  // UTC, the word the logs use, with an ASCII sign.
  const zone = (text: string): string =>
    text.replace(/ GMT(?:([+\u2212-])(\d\d:\d\d))?$/, (_all, sign?: string, offset?: string) =>
      offset === undefined || offset === '00:00' ? ' UTC' : ` UTC${sign === '+' ? '+' : '-'}${offset}`);
  return (ms) => (ms === null ? '-' : zone(format.format(new Date(ms))));
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, '0')} m` : `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** Columns padded to their widest cell; `right` lists the columns aligned right (numbers). */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, right: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** Cuts long free text (errors, reasons) to one table cell. */
export function truncate(text: string | null, max: number): string {
  if (text === null) return '-';
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
