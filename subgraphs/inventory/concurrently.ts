/**
 * Runs `run` over the items of a (possibly async, possibly lazy) sequence with at most `limit` in flight, taking
 * the next item only when a lane is free, so a lazy catalog walk is never read ahead of the work. The first
 * failure stops further items from being taken; in-flight ones finish; then it is thrown.
 */
export async function forEachConcurrently<T>(items: Iterable<T> | AsyncIterable<T>, limit: number, run: (item: T) => Promise<void>): Promise<void> {
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (failure === null) {
      // Async generators queue concurrent next() calls, so lanes never receive the same item.
      const next = await iterator.next();
      if (next.done) return;
      try {
        await run(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  if (failure !== null) throw (failure as { error: unknown }).error;
}
