// Iterates `source` one item ahead: while the caller writes batch N to SQLite (on libuv's thread pool), batch N+1 is
// already being read, parsed or fetched from REDCap instead of waiting for the write. At most two items are held.
// A caller that stops early (a SIGTERM between batches) waits for the item in flight, which the run's signal cuts short.
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  let done = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done) {
        done = true;
        return;
      }
      next = iterator.next();
      // Awaited on the next turn of the loop; until then a failure must not count as an unhandled rejection.
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    if (!done) await iterator.return?.();
  }
}
