/** Port: events between processes (Redis in production, in-process embedded). Delivery is at most once per subscriber. */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function unsubscribes. */
  subscribe(topic: string, handler: (payload: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Tells `listener` each time deliveries may have been missed: the connection to the bus was lost and every
   * subscription is live again. Events published meanwhile are not replayed (at most once): a listener re-reads
   * the state it derives from events (docs/subscriptions.md, "Bus outages"). Returns a function that stops telling.
   * An implementation that cannot lose deliveries (in-process) never calls it.
   */
  onGap(listener: () => void): () => void;
  close(): Promise<void>;
}
