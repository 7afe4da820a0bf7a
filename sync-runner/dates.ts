// Pure normalisation of the date and time values REDCap emits into Pylantir's stored forms (YYYY-MM-DD, HH:MM).

const pad = (value: number) => String(value).padStart(2, '0');

function validDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

// Order matters: the year-first forms are unambiguous and are what raw exports use.
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: .*)?$/;
const DOTTED_EU = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?$/;
const DASHED = /^(\d{1,2})-(\d{1,2})-(\d{4})(?: .*)?$/;

/**
 * Returns YYYY-MM-DD, or undefined when the value is not a date we can read without guessing.
 * REDCap's raw exports are Y-M-D; label exports and hand-made files also carry M/D/Y (US), D.M.Y, and
 * D-M-Y or M-D-Y, which are only accepted when one part is over 12 and so settles the order.
 */
export function normaliseDate(value: string): string | undefined {
  const text = value.trim();
  let m = YEAR_FIRST.exec(text) ?? COMPACT.exec(text);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if ((m = SLASH_US.exec(text))) return validDate(Number(m[3]), Number(m[1]), Number(m[2]));
  if ((m = DOTTED_EU.exec(text))) return validDate(Number(m[3]), Number(m[2]), Number(m[1]));
  if ((m = DASHED.exec(text))) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    if (first > 12 && second <= 12) return validDate(Number(m[3]), second, first);
    if (second > 12 && first <= 12) return validDate(Number(m[3]), first, second);
  }
  return undefined;
}

const CLOCK = /^(?:\d{4}-\d{2}-\d{2}[ T])?(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*([AaPp][Mm])?$/;
const COMPACT_CLOCK = /^(\d{2})(\d{2})(?:\d{2})?$/;

/** Returns HH:MM from HH:MM, H:MM, HH:MM:SS, HHMM(SS), 12-hour "h:mm pm" or a datetime; undefined otherwise. */
export function normaliseTime(value: string): string | undefined {
  const text = value.trim();
  const m = CLOCK.exec(text) ?? COMPACT_CLOCK.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2]);
  const meridiem = m[3]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return `${pad(hour)}:${pad(minute)}`;
}
