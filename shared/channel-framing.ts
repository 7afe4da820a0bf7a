// The wire format of the channel between the supervisor and a runner (`SYNC_SUPERVISOR_CHANNEL_FD`): NDJSON on a
// plain socket, which any program can write (`printf '%s\n' "$json" >&3`), with a size cap the reader enforces.
// Node's own IPC channel was not used: it buffers a message without bound until its newline (a runner that wrote
// 64 MB without one took the supervisor from 260 to 610 MB, then down with "Invalid string length").

/** The runner's end of the channel: the fourth entry of its stdio. */
export const CHANNEL_FD = 3;

/**
 * The longest message line either side accepts, newline excluded. The largest message the protocol allows (500
 * worklist changes with every string at its length limit and every character escaped) is about 3.2 MB; a result
 * message is a few KiB per source. A line past this closes the channel: the run ends as a protocol violation.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** One message as it goes on the wire: JSON never holds a raw newline, so the newline ends it. */
export function encodeMessage(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

/** A line off the wire, as the value it holds; undefined when it is not JSON (the caller counts it as malformed). */
export function decodeMessage(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
