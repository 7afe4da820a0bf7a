// PURE: text from outside (REDCap's error string, a runner's warning) cut to a size before it is kept anywhere.

/** Longest piece of runner-supplied text the supervisor keeps or forwards: an error, a reason, a warning. */
export const MAX_TEXT_BYTES = 2048;

/**
 * `text` as at most `maxBytes` bytes of UTF-8, the note included: cut on a character boundary, ending in
 * "… (N bytes cut)" so a reader knows there was more and how much.
 */
export function capText(text: string, maxBytes: number = MAX_TEXT_BYTES): string {
  // At most 3 UTF-8 bytes per UTF-16 unit: most text is judged without counting.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  // The note's own length, counted with the worst-case figure so the whole fits.
  const room = Math.max(0, maxBytes - Buffer.byteLength(`… (${bytes} bytes cut)`));
  // Never more characters than bytes: the slice keeps a 40 MB string from being encoded whole.
  const head = Buffer.from(text.slice(0, room)).subarray(0, room).toString('utf8').replace(/\uFFFD$/, '');
  return `${head}… (${bytes - Buffer.byteLength(head)} bytes cut)`;
}
