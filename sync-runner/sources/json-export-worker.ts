import { parentPort, workerData } from 'node:worker_threads';
import { fileChunks } from './file-chunks.ts';
import { JsonExportError } from './json-array-items.ts';
import { JsonItemBytes } from './json-item-bytes.ts';
import { MAX_UNTAKEN_MESSAGES, type ReaderData, type ReaderMessage } from './json-export-messages.ts';
import { SendWindow } from './send-window.ts';

// The JSON export reader thread: reads the file, checks it with @streamparser/json and posts each chunk's completed
// items as one JSON text. The checks cost about a second of CPU on a 50 MB export; here they run beside the runner's
// database work instead of before it. Started by json-export-thread.ts, which also ends it.

if (parentPort === null) throw new Error('json-export-worker runs only as a worker thread');
const port = parentPort;
const { path } = workerData as ReaderData;

const CHUNK_BYTES = 256 * 1024;
// The first chunk goes out in pieces of this size: the caller waits for its first rows while this thread starts and its
// code is still cold (a first 256 KiB takes it some 35 ms), so the caller gets to work on them sooner.
const FIRST_CHUNK_PIECE_BYTES = 16 * 1024;

const sendWindow = new SendWindow(MAX_UNTAKEN_MESSAGES);
const onTaken = () => sendWindow.taken();
port.on('message', onTaken);

async function postItems(json: ArrayBuffer): Promise<void> {
  await sendWindow.slot();
  port.postMessage({ kind: 'items', json } satisfies ReaderMessage, [json]);
}

async function read(): Promise<void> {
  const items = new JsonItemBytes();
  let first = true;
  for await (const chunk of fileChunks(path, CHUNK_BYTES)) {
    const pieceBytes = first ? FIRST_CHUNK_PIECE_BYTES : CHUNK_BYTES;
    first = false;
    for (let at = 0; at < chunk.length; at += pieceBytes) {
      const piece = chunk.subarray(at, at + pieceBytes);
      const json = items.push(piece);
      if (json !== undefined) await postItems(json);
    }
  }
  items.end();
}

function outcome(error: unknown): ReaderMessage {
  if (error instanceof JsonExportError) return { kind: 'invalid', problem: error.problem, byteOffset: error.byteOffset, line: error.line };
  if (!(error instanceof Error)) return { kind: 'failed', message: String(error), code: undefined };
  return { kind: 'failed', message: error.message, code: (error as NodeJS.ErrnoException).code };
}

try {
  await read();
  port.postMessage({ kind: 'end' } satisfies ReaderMessage);
} catch (error) {
  port.postMessage(outcome(error));
} finally {
  // Nothing left to wait for: the thread may end on its own.
  port.off('message', onTaken);
}
