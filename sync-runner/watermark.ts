import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** What a source remembers between runs: when its last complete sync started, and for which settings. */
export interface Watermark {
  readonly lastSuccessStart: string;
  /** Changes to the URL, fields or site mean the old watermark no longer covers what we want: start over. */
  readonly fingerprint: string;
}

type WatermarkFile = { readonly version: 1; readonly sources: Readonly<Record<string, Watermark>> };

export const WATERMARK_FILE = 'sync-runner-watermarks.json';

// A hash of everything that decides which rows an export returns.
export function fingerprint(parts: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

async function readAll(dataDir: string): Promise<WatermarkFile> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, WATERMARK_FILE), 'utf8')) as Partial<WatermarkFile>;
    return { version: 1, sources: parsed.sources ?? {} };
  } catch (error) {
    // A missing or torn file only costs one full import, which is always correct.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return { version: 1, sources: {} };
    throw error;
  }
}

/** The watermark for `name`, or undefined when the next sync must be a full import. */
export async function readWatermark(dataDir: string, name: string, currentFingerprint: string): Promise<Watermark | undefined> {
  const mark = (await readAll(dataDir)).sources[name];
  return mark?.fingerprint === currentFingerprint && !Number.isNaN(Date.parse(mark.lastSuccessStart)) ? mark : undefined;
}

// tmp + fsync + rename: a kill at any instant leaves either the old file or the new one. Owner only, like the rest
// of the data dir: the file says which sources this host syncs and when.
export async function writeWatermark(dataDir: string, name: string, mark: Watermark): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const current = await readAll(dataDir);
  const next: WatermarkFile = { version: 1, sources: { ...current.sources, [name]: mark } };
  const target = join(dataDir, WATERMARK_FILE);
  const tmp = `${target}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(next, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, target);
}

/** REDCap's dateRangeBegin form, in the runner's local time as Pylantir sends it: `YYYY-MM-DD HH:MM:SS`. */
export function formatRedcapDateTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** Pure: the dateRangeBegin of an incremental export, or undefined for a full one. */
export function rangeBegin(mark: Watermark | undefined, overlapMinutes: number): string | undefined {
  if (mark === undefined) return undefined;
  return formatRedcapDateTime(new Date(Date.parse(mark.lastSuccessStart) - overlapMinutes * 60_000));
}
