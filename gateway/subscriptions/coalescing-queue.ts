/**
 * One subscription's outbox, as an async iterator graphql-ws pulls from. graphql-ws pulls the next value only after
 * the previous one was written to the socket, so a slow reader leaves values here: a newer value for the same key
 * (e.g. the same SKU at the same supplier) replaces the waiting one — the reader gets the latest, not every step —
 * and more than `maxPending` distinct keys waiting means the reader cannot keep up: `onOverflow` runs once (the
 * connection is closed) and nothing more is kept. Memory per subscription is bounded either way.
 */
export interface CoalescingQueue<T> extends AsyncIterableIterator<T> {
  /** Queues a value; false when it was dropped (overflow or ended). */
  push(key: string, value: T): boolean;
  /** Ends the iterator after what is queued (graceful shutdown: graphql-ws then sends `complete`). */
  end(): void;
  readonly pending: number;
  return(): Promise<IteratorResult<T>>;
}

export function createCoalescingQueue<T>(options: { maxPending: number; onOverflow: () => void; onReturn?: () => void }): CoalescingQueue<T> {
  const waiting = new Map<string, T>();
  let wake: ((result: IteratorResult<T>) => void) | undefined;
  let finished = false;
  let ending = false;
  let overflowed = false;

  const finish = () => {
    if (finished) return;
    finished = true;
    waiting.clear();
    options.onReturn?.();
    wake?.({ value: undefined, done: true });
    wake = undefined;
  };

  const queue: CoalescingQueue<T> = {
    get pending() {
      return waiting.size;
    },
    push(key, value) {
      if (finished || ending || overflowed) return false;
      if (wake) {
        const resolve = wake;
        wake = undefined;
        resolve({ value, done: false });
        return true;
      }
      if (!waiting.has(key) && waiting.size >= options.maxPending) {
        overflowed = true;
        waiting.clear();
        options.onOverflow();
        return false;
      }
      // Deleting first moves the key to the back: the order of delivery is the order of latest change.
      waiting.delete(key);
      waiting.set(key, value);
      return true;
    },
    end() {
      ending = true; // next() drains what is queued, then reports done
      if (waiting.size === 0) finish();
    },
    next() {
      const first = waiting.entries().next();
      if (!first.done) {
        waiting.delete(first.value[0]);
        return Promise.resolve({ value: first.value[1], done: false });
      }
      if (finished || ending || overflowed) {
        finish();
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve) => (wake = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
