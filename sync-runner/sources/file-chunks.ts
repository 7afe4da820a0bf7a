import { open } from 'node:fs/promises';

// A file's bytes chunk by chunk, read into two buffers used in turn rather than a new one per chunk as createReadStream
// does: in the JSON reader thread each of those outlived a few young-generation collections while being tokenized, was
// promoted, and piled up until a full collection (about 14 MB of them on a 50 MB export).
// So a chunk is only valid until the next but one is read; whoever keeps bytes longer copies them.
export async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffers = [Buffer.allocUnsafeSlow(chunkSize), Buffer.allocUnsafeSlow(chunkSize)] as const;
    for (let turn: 0 | 1 = 0; ; turn = turn === 0 ? 1 : 0) {
      const buffer = buffers[turn];
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
