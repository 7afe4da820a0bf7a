// What check-config says about the worklist file a run would write: is it there, and how many rows it holds.
// Opened read-only, with a bounded wait, so a check never changes the file and never hangs on a writer's lock.
import { stat } from 'node:fs/promises';
import { Database } from '../../shared/sqlite.ts';

/** A writer's lock is waited on this long before the count is given up. */
const BUSY_TIMEOUT_MS = 2000;
/** The whole look, open to close; past it the count is reported as not answered. */
const DEADLINE_MS = 5000;

export type WorklistFacts =
  | { readonly exists: false }
  | { readonly exists: true; readonly rows: number }
  | { readonly exists: true; readonly rows: undefined; readonly why: string };

export async function worklistFacts(path: string): Promise<WorklistFacts> {
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    if (found.code === 'ENOENT') return { exists: false };
    return { exists: true, rows: undefined, why: `cannot be looked at (${found.code ?? found.message})` };
  }
  if (!found.isFile()) return { exists: true, rows: undefined, why: 'is not a file' };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<WorklistFacts>((resolve) => {
    timer = setTimeout(() => resolve({ exists: true, rows: undefined, why: `did not answer a row count within ${DEADLINE_MS} ms (a long write lock?)` }), DEADLINE_MS);
  });
  try {
    return await Promise.race([countRows(path), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function countRows(path: string): Promise<WorklistFacts> {
  let db: Database | undefined;
  try {
    db = await Database.open(path, { readonly: true, busyTimeoutMs: BUSY_TIMEOUT_MS });
    const row = await db.get<{ n: number }>('SELECT count(*) AS n FROM worklist_items');
    return { exists: true, rows: row?.n ?? 0 };
  } catch (error) {
    return { exists: true, rows: undefined, why: explain(error as Error & { code?: string }) };
  } finally {
    await db?.close().catch(() => undefined);
  }
}

function explain(error: Error & { code?: string }): string {
  const message = error.message.replace(/^SQLITE_\w+: /, '');
  if (/no such table/.test(message)) return 'has no worklist_items table: it is not a Pylantir worklist (yet); the first run creates the table';
  if (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT') return `is not a readable SQLite database (${message}): check the file before a run writes to it`;
  if (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED') return `is locked by another writer beyond ${BUSY_TIMEOUT_MS} ms (${message})`;
  return `cannot be read (${message})`;
}
