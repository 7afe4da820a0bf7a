// Deterministic, obviously fake REDCap rows (baseline + `mri` repeat instances) for the demo, tests and bench.
// No real person is behind any of them: ids are sequential and there are no names at all.

export type ExportRow = Record<string, string | number>;

export interface SyntheticOptions {
  /** @default 1 */
  readonly seed?: number;
  /** First record number. @default 1 */
  readonly firstRecord?: number;
  /** Every n-th record has no study_id, to show the skip rule. 0 = never. @default 0 */
  readonly missingStudyIdEvery?: number;
  /** Base date of the first scan, YYYY-MM-DD. @default 2030-01-07 */
  readonly baseDate?: string;
}

export const FIELD_MAPPING = {
  study_id: 'study_id',
  mri_instance: 'session_id',
  family_id: 'family_id',
  youth_dob_y: 'patient_birth_date',
  demo_sex: 'patient_sex',
  mri_date: 'scheduled_start_date',
  mri_time: 'scheduled_start_time',
} as const;

// mulberry32: tiny, seedable, good enough for test data.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The rows of `count` records: each a baseline row and 0–2 MRI rows (about 1.5 on average). */
export function syntheticRecords(count: number, options: SyntheticOptions = {}): ExportRow[][] {
  const random = prng(options.seed ?? 1);
  const first = options.firstRecord ?? 1;
  const base = options.baseDate ?? '2030-01-07';
  const records: ExportRow[][] = [];
  for (let n = first; n < first + count; n++) {
    const id = String(n);
    const skipStudy = options.missingStudyIdEvery ? n % options.missingStudyIdEvery === 0 : false;
    const baseline: ExportRow = {
      record_id: id,
      redcap_repeat_instrument: '',
      redcap_repeat_instance: '',
      study_id: skipStudy ? '' : `DEMO-${pad(n, 5)}`,
      family_id: `FAM-${pad(Math.ceil(n / 2), 5)}`,
      youth_dob_y: String(2010 + Math.floor(random() * 8)),
      demo_sex: random() < 0.5 ? '1' : '2',
      mri_instance: '',
      mri_date: '',
      mri_time: '',
    };
    const rows: ExportRow[] = [baseline];
    const sessions = random() < 0.1 ? 0 : random() < 0.5 ? 1 : 2;
    for (let s = 1; s <= sessions; s++) {
      const minutes = 8 * 60 + Math.floor(random() * 18) * 30;
      rows.push({
        record_id: id,
        redcap_repeat_instrument: 'mri',
        // REDCap's JSON gives the repeat instance as a number.
        redcap_repeat_instance: s,
        study_id: '',
        family_id: '',
        youth_dob_y: '',
        demo_sex: '',
        mri_instance: String(s),
        mri_date: addDays(base, (n % 60) + s * 30),
        mri_time: `${pad(Math.floor(minutes / 60), 2)}:${pad(minutes % 60, 2)}:00`,
      });
    }
    records.push(rows);
  }
  return records;
}

/** RFC 4180 CSV of the rows, header first, as REDCap's CSV export writes them. */
export function toCsv(rows: readonly ExportRow[]): string {
  const header = Object.keys(rows[0] ?? {});
  const cell = (v: string | number | undefined) => {
    const text = v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join('\r\n') + '\r\n';
}
