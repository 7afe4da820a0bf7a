// What the JSON export reader thread (json-export-worker.ts) and the side that reads its rows (json-export-thread.ts)
// say to each other.

/** The reader's `workerData`. */
export interface ReaderData {
  readonly path: string;
}

export type ReaderMessage =
  /** One chunk's completed items as a `[...]` JSON text in UTF-8, transferred, not copied. */
  | { readonly kind: 'items'; readonly json: ArrayBuffer }
  | { readonly kind: 'end' }
  /** The file is not a JSON array of objects: the parts of a JsonExportError. */
  | { readonly kind: 'invalid'; readonly problem: string; readonly byteOffset: number; readonly line: number | undefined }
  /** The file could not be read (`code` as Node's fs errors have it, e.g. EACCES). */
  | { readonly kind: 'failed'; readonly message: string; readonly code: string | undefined };

/** Sent back for each 'items' message as it is taken, so the reader can read on. */
export const TAKEN = 'taken';

// Two: one being parsed while the next is read. Without a bound a reader on a fast disk would queue the whole file.
export const MAX_UNTAKEN_MESSAGES = 2;
