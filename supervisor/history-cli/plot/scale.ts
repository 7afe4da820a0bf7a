// PURE: axis ticks for the plot: round time steps and round MB steps.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE,
  30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY];

/** Tick times at a round step, at most ~`maxTicks` of them, plus how to label them from a `YYYY-MM-DD HH:MM:SS` string. */
export function timeTicks(fromMs: number, toMs: number, maxTicks = 8): { ticks: number[]; label: (formatted: string) => string } {
  const span = Math.max(1, toMs - fromMs);
  const step = TIME_STEPS.find((s) => span / s <= maxTicks) ?? 91 * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) ticks.push(t);
  const label =
    step >= DAY ? (f: string) => f.slice(0, 10)
    : span > DAY ? (f: string) => f.slice(5, 16)
    : step < MINUTE ? (f: string) => f.slice(11, 19)
    : (f: string) => f.slice(11, 16);
  return { ticks, label };
}

/** Round MB gridlines from 0 to at least `maxMb`. */
export function mbTicks(maxMb: number, maxTicks = 7): { ticks: number[]; top: number } {
  const raw = Math.max(1, maxMb) / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude);
  const top = Math.ceil(maxMb / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toFixed(6)));
  return { ticks, top };
}
