// One entry of the error catalogue: a stable code, the exit code a CLI returns for it, and what to do next.
export interface ErrorCodeEntry {
  /** Stable identifier, also used in logs, history rows and `--json` output. */
  readonly code: string;
  /** Process exit code that a CLI returns when this error ends it. */
  readonly exitCode: number;
  /** One sentence an operator can act on. */
  readonly hint: string;
}

// Keeps each catalogue file a plain table while still checking its shape.
export function defineCodes<const T extends Record<string, Omit<ErrorCodeEntry, 'code'>>>(
  table: T,
): { readonly [K in keyof T]: ErrorCodeEntry & { code: K } } {
  const out: Record<string, ErrorCodeEntry> = {};
  for (const [code, entry] of Object.entries(table)) out[code] = { code, ...entry };
  return out as { readonly [K in keyof T]: ErrorCodeEntry & { code: K } };
}
