// PURE: rows → CSV lines or JSON array / JSON-lines chunks, one row at a time.

export const EXPORT_FORMATS = ['csv', 'json', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Row = Readonly<Record<string, unknown>>;

// RFC 4180: quote a field holding a comma, quote, CR or LF, and double its quotes.
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface RowEncoder {
  readonly header: string;
  row(row: Row, index: number): string;
  readonly footer: string;
}

/**
 * `csv`: a header line, then one line per row. `json`: one JSON array, written element by element, so the
 * output is valid JSON for `jq` yet never built in memory. `jsonl`: one object per line.
 */
export function rowEncoder(format: ExportFormat, columns: readonly string[]): RowEncoder {
  switch (format) {
    case 'csv':
      return { header: `${columns.join(',')}\r\n`, row: (row) => `${columns.map((c) => csvField(row[c])).join(',')}\r\n`, footer: '' };
    case 'json':
      return { header: '[', row: (row, i) => `${i === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`, footer: '\n]\n' };
    case 'jsonl':
      return { header: '', row: (row) => `${JSON.stringify(row)}\n`, footer: '' };
  }
}
