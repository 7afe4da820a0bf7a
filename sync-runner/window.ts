// Pylantir's operation_interval: a daily window, given as [hour, minute] pairs in local time.
export interface OperationWindow {
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
}

const minuteOfDay = ([hour, minute]: readonly [number, number]): number => hour * 60 + minute;

// Pure: whether `now` (local wall clock) falls inside the window, at minute granularity and with both ends included.
// A window whose start is after its end crosses midnight (22:00–02:00), which Pylantir cannot express.
// start == end is read as "all day", since a one-minute window is never what a site means.
export function isInsideWindow(window: OperationWindow, now: Date): boolean {
  const current = now.getHours() * 60 + now.getMinutes();
  const start = minuteOfDay(window.start);
  const end = minuteOfDay(window.end);
  if (start === end) return true;
  if (start < end) return current >= start && current <= end;
  return current >= start || current <= end;
}

/** "08:00–18:00", for the skip reason. */
export function describeWindow(window: OperationWindow): string {
  const hhmm = ([h, m]: readonly [number, number]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return `${hhmm(window.start)}–${hhmm(window.end)}`;
}
