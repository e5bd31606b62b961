/** Port: events between processes (Redis in production, in-process embedded). Delivery is at most once per subscriber. */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function unsubscribes. */
  subscribe(topic: string, handler: (payload: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
