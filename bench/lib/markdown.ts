// Markdown pieces shared by bench/REPORT.md and the suites that print the same tables: reading parsed JSON, a value
// as a cell, a table.
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The value at a path of keys in parsed JSON, or undefined where the path breaks off. */
export const at = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
export const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'n/a') : typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v === null || v === undefined ? 'n/a' : JSON.stringify(v));

export function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`)].join('\n');
}
