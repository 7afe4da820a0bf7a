// Tokens look like 32 hex characters; anything that shape in a REDCap form body is hidden as well.
const TOKEN_FIELD = /(token=)[^&\s"]+/gi;

const escapeForRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Below this length a secret is hidden only where it stands alone (not inside a longer word or number): a 2-character
 * SMTP password hidden everywhere would blank every such pair of letters in every line, yet one echoed back as a
 * word ("535 bad password ab") is still caught. From this length on every occurrence is hidden.
 */
const MIN_ANYWHERE_LENGTH = 4;

// Case-insensitive: hex tokens are the same token in either case, and REDCap (or a proxy) may echo one lowercased.
// Trimmed: a token read with stray whitespace (e.g. from .env) appears without it in URLs and bodies.
// Longest first, so a secret that contains another is hidden whole.
function secretsPattern(secrets: readonly string[]): RegExp | undefined {
  const parts = [...new Set(secrets.map((s) => s.trim()).filter((s) => s.length > 0))]
    .sort((a, b) => b.length - a.length)
    .map((s) => (s.length >= MIN_ANYWHERE_LENGTH ? escapeForRegExp(s) : `(?<![A-Za-z0-9])${escapeForRegExp(s)}(?![A-Za-z0-9])`));
  return parts.length === 0 ? undefined : new RegExp(parts.join('|'), 'gi');
}

// Replaces every literal secret, in any letter case (and token= form fields), in strings nested anywhere in `value`.
// Returns a copy wherever something was hidden (the caller's objects, errors included, are never rewritten), and the
// very value where nothing was.
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
  // Own properties, symbols and non-enumerable ones included: an error's message, stack, cause and details, and
  // winston's Symbol(message), are walked like any object's.
  const source = value as Record<string | symbol, unknown>;
  const changed = new Map<string | symbol, unknown>();
  for (const key of Reflect.ownKeys(source)) {
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (!descriptor || !('value' in descriptor)) continue;
    const after = redactValue(descriptor.value, pattern, depth + 1);
    if (after !== descriptor.value) changed.set(key, after);
  }
  if (changed.size === 0) return value;
  return copyWith(source, changed);
}

/** A copy of `source` (same prototype, so an AppError stays one; same property flags) with `changed` values in. */
function copyWith(source: Record<string | symbol, unknown>, changed: ReadonlyMap<string | symbol, unknown>): unknown {
  if (Array.isArray(source)) {
    const copy = [...(source as unknown[])] as unknown[] & Record<string | symbol, unknown>;
    for (const [key, after] of changed) copy[key] = after;
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string | symbol, unknown>;
  for (const key of Reflect.ownKeys(source)) {
    const descriptor = Object.getOwnPropertyDescriptor(source, key);
    if (!descriptor) continue;
    if (changed.has(key)) descriptor.value = changed.get(key);
    // A frozen source must not make the copy read-only for the next format in the chain.
    if ('value' in descriptor) descriptor.writable = true;
    descriptor.configurable = true;
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}
