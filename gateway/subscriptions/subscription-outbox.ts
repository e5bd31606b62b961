/**
 * One subscription's outbox. Values are written to the socket by the outbox itself (pre-serialised frames, shared by
 * every subscriber of a group), not pulled one by one through graphql-ws: graphql-ws's per-value path (an async
 * iterator step, a JSON serialisation and several promise hops per subscriber) was the cost of a 10,000-subscriber
 * fan-out. graphql-ws still owns the subscription's life: it iterates this outbox, which yields nothing and ends
 * when the subscription does — graphql-ws then sends `complete` (ours ending) or nothing (the client's `complete`,
 * a closed socket), exactly as before.
 *
 * Backpressure is unchanged: one write at a time per subscription; while one is unwritten, newer values wait here,
 * coalesced by key (a newer value for the same key replaces the waiting one — a slow reader gets the latest, not
 * every step), and more than `maxPending` distinct keys waiting means the reader cannot keep up: `onOverflow` runs
 * once (the connection is closed) and nothing more is kept. Nothing is written before graphql-ws starts iterating,
 * so no `next` can precede the subscription's registration there.
 */
export interface SubscriptionOutbox<T> extends AsyncIterableIterator<never> {
  /** Writes a value now, or queues it behind the write in flight; false when it was dropped (overflow or ended). */
  push(key: string, value: T): boolean;
  /** Ends the subscription once what is queued is written (graceful shutdown: graphql-ws then sends `complete`). */
  end(): void;
  readonly pending: number;
  return(): Promise<IteratorResult<never>>;
}

export interface SubscriptionOutboxOptions<T> {
  /** Writes one value; `written` is called once it left (or could not leave) the process. */
  write(value: T, written: () => void): void;
  readonly maxPending: number;
  onOverflow(): void;
  /** Runs once when the subscription ends, whoever ends it. */
  onReturn?(): void;
}

const DONE: IteratorResult<never> = { value: undefined, done: true };

export function createSubscriptionOutbox<T>(options: SubscriptionOutboxOptions<T>): SubscriptionOutbox<T> {
  const waiting = new Map<string, T>();
  let started = false; // graphql-ws iterates: the subscription is registered there
  let inFlight = false;
  let ending = false;
  let overflowed = false;
  let finished = false;
  let wake: ((result: IteratorResult<never>) => void) | undefined;
  let ended: Promise<IteratorResult<never>> | undefined;

  const finish = () => {
    if (finished) return;
    finished = true;
    waiting.clear();
    options.onReturn?.();
    wake?.(DONE);
    wake = undefined;
  };

  // One callback for the outbox's life, not a closure per write: a fan-out makes one write per subscriber.
  const written = () => {
    inFlight = false;
    flush();
  };
  const send = (value: T) => {
    inFlight = true;
    options.write(value, written);
  };

  /** The next waiting value out, in order of latest change; or the end, once nothing is left to write. */
  const flush = () => {
    if (inFlight || finished || !started) return;
    const first = waiting.entries().next();
    if (!first.done) {
      waiting.delete(first.value[0]);
      send(first.value[1]);
    } else if (ending || overflowed) finish();
  };

  const outbox: SubscriptionOutbox<T> = {
    get pending() {
      return waiting.size;
    },
    push(key, value) {
      if (finished || ending || overflowed) return false;
      if (started && !inFlight && waiting.size === 0) {
        send(value);
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
      ending = true;
      flush();
    },
    next() {
      if (!started) {
        started = true;
        flush();
      }
      if (finished) return Promise.resolve(DONE);
      ended ??= new Promise((resolve) => (wake = resolve));
      return ended;
    },
    return() {
      finish();
      return Promise.resolve(DONE);
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return outbox;
    },
  };
  return outbox;
}
