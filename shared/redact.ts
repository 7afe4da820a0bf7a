// Tokens look like 32 hex characters; anything that shape in a REDCap form body is hidden as well.
const TOKEN_FIELD = /(token=)[^&\s"]+/gi;

// Replaces every literal secret (and token= form fields) in strings nested anywhere in `value`.
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  return redactValue(value, secrets, 0) as T;
}

export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(TOKEN_FIELD, '$1[redacted]');
  // Trimmed: a token read with stray whitespace (e.g. from .env) appears without it in URLs and bodies.
  for (const secret of secrets.map((s) => s.trim())) if (secret.length > 0) out = out.split(secret).join('[redacted]');
  return out;
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    value.message = redactText(value.message, secrets);
    if (value.stack) value.stack = redactText(value.stack, secrets);
    return value;
  }
  const target = value as Record<string | symbol, unknown>;
  for (const key of Reflect.ownKeys(target)) target[key] = redactValue(target[key], secrets, depth + 1);
  return target;
}
