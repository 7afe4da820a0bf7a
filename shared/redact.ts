// Tokens look like 32 hex characters; anything that shape in a REDCap form body is hidden as well.
const TOKEN_FIELD = /(token=)[^&\s"]+/gi;

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Case-insensitive: hex tokens are the same token in either case, and REDCap (or a proxy) may echo one lowercased.
// Trimmed: a token read with stray whitespace (e.g. from .env) appears without it in URLs and bodies.
function secretsPattern(secrets: readonly string[]): RegExp | undefined {
  const parts = secrets.map((s) => s.trim()).filter((s) => s.length > 0).map(escapeForRegExp);
  return parts.length === 0 ? undefined : new RegExp(parts.join('|'), 'gi');
}

// Replaces every literal secret, in any letter case (and token= form fields), in strings nested anywhere in `value`.
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  return redactValue(value, secretsPattern(secrets), 0) as T;
}

export function redactText(text: string, secrets: readonly string[]): string {
  return redactWith(text, secretsPattern(secrets));
}

function redactWith(text: string, pattern: RegExp | undefined): string {
  const out = text.replace(TOKEN_FIELD, '$1[redacted]');
  return pattern === undefined ? out : out.replace(pattern, '[redacted]');
}

function redactValue(value: unknown, pattern: RegExp | undefined, depth: number): unknown {
  if (typeof value === 'string') return redactWith(value, pattern);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    value.message = redactWith(value.message, pattern);
    if (value.stack) value.stack = redactWith(value.stack, pattern);
  }
  // An error's other own properties (cause, details) are walked like any object's.
  const target = value as Record<string | symbol, unknown>;
  for (const key of Reflect.ownKeys(target)) {
    if (value instanceof Error && (key === 'message' || key === 'stack')) continue;
    const before = target[key];
    const after = redactValue(before, pattern, depth + 1);
    // Objects are redacted in place; only a changed string is written back (a frozen value is never touched for nothing).
    if (after !== before) target[key] = after;
  }
  return target;
}
