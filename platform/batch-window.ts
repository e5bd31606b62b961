/**
 * A batching window: work queued by the caller is flushed together a window after the first of it, one flush at a
 * time; what arrives during a flush waits for the next window. `settled()` and `close()` are what the listing
 * indexer and the cached-offer refreshes (stack/listing-offers.ts) both needed; the queue itself stays the caller's.
 */
export interface BatchWindow {
  /** Opens a window unless one is open, a flush runs (it reopens one after), nothing is pending, or it is closed. */
  schedule(): void;
  /** Resolves when nothing is pending, waiting for a window or being flushed. */
  settled(): Promise<void>;
  /** No window opens any more; a waiting one is dropped; resolves after the running flush, waking every settled(). */
  close(): Promise<void>;
  readonly closed: boolean;
}

export interface BatchWindowOptions {
  /** Whether the caller has queued work. */
  readonly hasPending: () => boolean;
  /** Takes the queued work and handles it; its own failures are its to handle (a rejection is swallowed). */
  readonly flush: () => Promise<void>;
  /** The window to open now, in ms (read at each schedule: a caller may widen it during a burst). */
  readonly windowMs: () => number;
  /** Called when a flush has ended, before the next window is considered. */
  readonly onFlushed?: () => void;
}

export function createBatchWindow(options: BatchWindowOptions): BatchWindow {
  const { hasPending, flush, windowMs } = options;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;
  const waiters: (() => void)[] = [];

  const idle = () => !hasPending() && timer === null && running === null;
  const wake = () => {
    if (idle()) for (const w of waiters.splice(0)) w();
  };

  function schedule(): void {
    if (closed || timer !== null || running !== null || !hasPending()) return;
    timer = setTimeout(() => {
      timer = null;
      running = flush()
        .catch(() => undefined)
        .finally(() => {
          running = null;
          options.onFlushed?.();
          schedule();
          wake();
        });
    }, windowMs());
    // A pending window never holds the process open.
    timer.unref?.();
  }

  return {
    schedule,
    settled() {
      return idle() ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
      // Closed: what is still queued never flushes, so nobody waits for it.
      for (const w of waiters.splice(0)) w();
    },
    get closed() {
      return closed;
    },
  };
}
