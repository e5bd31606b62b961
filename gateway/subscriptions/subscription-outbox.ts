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

/**
 * The outbox's state machine as a class, so a subscriber can extend it (subscription-server.ts): a fan-out's
 * delivery then reads one object — the subscriber with its outbox flags — instead of a subscriber, its closures'
 * contexts and a separate outbox (at 10,000 subscribers none of them are in cache, and each was a miss per delivery).
 * `idle` is kept up to date at every transition, so the common case (nothing waiting, nothing in flight) is one
 * field read before the write.
 */
export abstract class OutboxBase<T> implements SubscriptionOutbox<T> {
  /** Nothing waiting, nothing in flight, registered and not ending: a value pushed now is written now. */
  idle = false;
  private readonly waiting = new Map<string, T>();
  private started = false; // graphql-ws iterates: the subscription is registered there
  private inFlight = false;
  private ending = false;
  private overflowed = false;
  private finished = false;
  private wake: ((result: IteratorResult<never>) => void) | undefined;
  private ended: Promise<IteratorResult<never>> | undefined;

  /**
   * Writes one value. Returns true when it already left (or could not leave) the process — then `written` is never
   * called; false when `written` will be called once it has. Returning true is the fan-out's common case: a
   * socket write without a callback, which Node completes with no tick, no allocation and no async-hook call.
   */
  protected abstract write(value: T, written: () => void): boolean;
  protected abstract readonly maxPending: number;
  protected abstract onOverflow(): void;
  /** Runs once when the subscription ends, whoever ends it. */
  protected abstract onReturn(): void;

  // One callback for the outbox's life, not a closure per write: a fan-out makes one write per subscriber.
  protected readonly written = (): void => {
    this.inFlight = false;
    this.flush();
  };

  private refresh(): void {
    this.idle = this.started && !this.inFlight && !this.finished && !this.ending && !this.overflowed && this.waiting.size === 0;
  }

  /** Writes `value`; true when it left at once (nothing in flight afterwards). */
  private send(value: T): boolean {
    this.inFlight = true;
    this.idle = false;
    if (!this.write(value, this.written)) return false;
    this.inFlight = false;
    return true;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.idle = false;
    this.waiting.clear();
    this.onReturn();
    this.wake?.(DONE);
    this.wake = undefined;
  }

  /** The next waiting value out, in order of latest change; or the end, once nothing is left to write. */
  private flush(): void {
    if (this.inFlight || this.finished || !this.started) return;
    // Writes that leave at once are followed by the next waiting value here, not by a callback.
    while (this.waiting.size > 0) {
      const [key, value] = this.waiting.entries().next().value as [string, T];
      this.waiting.delete(key);
      if (!this.send(value) || this.finished) return;
    }
    if (this.ending || this.overflowed) this.finish();
    else this.refresh();
  }

  get pending(): number {
    return this.waiting.size;
  }

  push(key: string, value: T): boolean {
    if (this.idle) {
      // Left at once: still idle (nothing else changes during a write), with no state to recompute.
      if (this.send(value)) this.idle = !this.finished;
      return true;
    }
    if (this.finished || this.ending || this.overflowed) return false;
    if (!this.waiting.has(key) && this.waiting.size >= this.maxPending) {
      this.overflowed = true;
      this.waiting.clear();
      this.onOverflow();
      return false;
    }
    // Deleting first moves the key to the back: the order of delivery is the order of latest change.
    this.waiting.delete(key);
    this.waiting.set(key, value);
    return true;
  }

  end(): void {
    this.ending = true;
    this.idle = false;
    this.flush();
  }

  next(): Promise<IteratorResult<never>> {
    if (!this.started) {
      this.started = true;
      this.flush();
    }
    if (this.finished) return Promise.resolve(DONE);
    this.ended ??= new Promise((resolve) => (this.wake = resolve));
    return this.ended;
  }

  return(): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<never>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

class OptionsOutbox<T> extends OutboxBase<T> {
  protected readonly maxPending: number;
  constructor(private readonly options: SubscriptionOutboxOptions<T>) {
    super();
    this.maxPending = options.maxPending;
  }
  protected write(value: T, written: () => void): boolean {
    this.options.write(value, written);
    return false;
  }
  protected onOverflow(): void {
    this.options.onOverflow();
  }
  protected onReturn(): void {
    this.options.onReturn?.();
  }
}

export function createSubscriptionOutbox<T>(options: SubscriptionOutboxOptions<T>): SubscriptionOutbox<T> {
  return new OptionsOutbox(options);
}
