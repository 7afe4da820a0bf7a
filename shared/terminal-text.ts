// PURE: text from outside (a runner's output, REDCap's error string) made safe to print as part of one log line.
// A raw ESC can recolour, clear or retitle the operator's terminal; a CR or LF inside a message can forge a line that
// looks like ours. Each such character is written as its escape instead: `\n`, `\r`, `\u001b`.

/** C0 controls except tab, DEL, C1 controls (0x9b acts as ESC [ on some terminals), line/paragraph separators, bidi overrides. */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
