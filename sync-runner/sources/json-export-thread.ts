import { JsonExportError } from './json-array-items.ts';
import { TAKEN, type ReaderData, type ReaderMessage } from './json-export-messages.ts';
import { startModuleWorker } from './module-worker.ts';
import { abortError, WorkerInbox } from './worker-inbox.ts';

// The reader's garbage (the values the library builds to check the grammar) dies young: a small young generation holds
// it at a fraction of the default's memory, for a few more, cheap, collections.
const READER_LIMITS = { maxYoungGenerationSizeMb: 2 };

/** A chunk's items as the reader thread sent them; V8's own parse errors quote the text, which is record content. */
function parseItems(json: ArrayBuffer): unknown[] {
  try {
    return JSON.parse(Buffer.from(json).toString('utf8')) as unknown[];
  } catch {
    throw new Error('the JSON export reader thread sent items that are not valid JSON');
  }
}

// The items of a JSON export, read, checked and cut into items on a second thread (json-export-worker.ts) and parsed
// here, a chunk's worth at a time, with a single native JSON.parse. The thread is stopped however this ends: at the
// end of the file, on an error, on an abort, or when the caller stops early.
export async function* jsonItemsInThread(path: string, signal: AbortSignal): AsyncGenerator<unknown[]> {
  if (signal.aborted) throw abortError(signal);
  const worker = startModuleWorker('json-export-worker', import.meta.url, { workerData: { path } satisfies ReaderData, resourceLimits: READER_LIMITS });
  const inbox = new WorkerInbox<ReaderMessage>(worker, signal, 'the JSON export reader thread');
  try {
    for (;;) {
      const message = await inbox.next();
      if (message.kind === 'end') return;
      if (message.kind === 'invalid') throw new JsonExportError(message.problem, message.byteOffset, message.line);
      if (message.kind === 'failed') throw Object.assign(new Error(message.message), { code: message.code });
      worker.postMessage(TAKEN); // before parsing: the thread reads the next chunk meanwhile
      yield parseItems(message.json);
    }
  } finally {
    await inbox.stop();
  }
}
