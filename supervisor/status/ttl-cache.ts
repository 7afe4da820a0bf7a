/**
 * Memoises an async loader for `ttlMs`, and shares one in-flight load among all callers, so fifty clients
 * polling at once cost one round of queries per interval instead of fifty. A failed load is not kept.
 */
export function ttlCache<T>(load: () => Promise<T>, ttlMs: number, now: () => number): () => Promise<T> {
  let value: { readonly at: number; readonly data: T } | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (value && now() - value.at < ttlMs) return Promise.resolve(value.data);
    inFlight ??= load()
      .then((data) => {
        value = { at: now(), data };
        return data;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
}
