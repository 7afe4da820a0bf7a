// How much of a REDCap answer is read. A record export is a JSON array and is read whole (one batch, bounded by
// batch_size); anything else (an error status, an `{"error": …}` object, a proxy's page, the version text) is only
// ever quoted in a message, so it is read to ERROR_BODY_MAX_BYTES and the rest is never downloaded.

/** What is read of an answer that cannot be a record export. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

export interface AnswerBody {
  readonly text: string;
  /** The answer went on past ERROR_BODY_MAX_BYTES and was not read further. */
  readonly cut: boolean;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf]);

/** The first byte that is not whitespace (or a UTF-8 byte order mark), once one has come. */
function firstByte(chunks: readonly Uint8Array[]): number | undefined {
  for (const chunk of chunks) for (const byte of chunk) if (!WHITESPACE.has(byte)) return byte;
  return undefined;
}

/** Reads `response`'s body: whole when it is a successful answer that starts as a JSON array, else capped. */
export async function readAnswerBody(response: Response, expect: 'array' | 'text'): Promise<AnswerBody> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', cut: false };
  const mayBeExport = response.ok && expect === 'array';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let whole = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.byteLength;
    if (mayBeExport && !whole) {
      const first = firstByte(chunks);
      if (first !== undefined) whole = first === 0x5b; // '['
    }
    if (!whole && bytes > ERROR_BODY_MAX_BYTES) {
      await reader.cancel().catch(() => undefined);
      const head = Buffer.concat(chunks).subarray(0, ERROR_BODY_MAX_BYTES);
      return { text: new TextDecoder().decode(head).replace(/\uFFFD$/, ''), cut: true };
    }
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), cut: false };
}
