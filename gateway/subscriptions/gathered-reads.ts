/**
 * Identical reads asked for within a short window share one execution. A reconnect storm (a deploy: thousands of
 * clients watching the same SKUs resubscribe within seconds) would otherwise run one snapshot read per client —
 * 10,000 gateway executions, each a subgraph fetch and a store read — and starve the gateway for minutes.
 *
 * Why a window and not "join whatever is in flight": a subscriber is registered for events before it asks for its
 * snapshot, and every subscriber joining a gathered read joined before that read started — so an event published
 * after the read began reaches each of them as an event (held, then version-filtered), and a change before it is in
 * the state read. Joining a read that had already started could miss a change made between its start and the
 * joiner's registration. Nothing is cached: a group is forgotten the moment its read starts.
 */
export interface GatheredReads {
  read<T>(key: string, run: () => Promise<T>): Promise<T>;
}

export function createGatheredReads(windowMs: number): GatheredReads {
  const waiting = new Map<string, Promise<unknown>>();
  return {
    read<T>(key: string, run: () => Promise<T>): Promise<T> {
      const found = waiting.get(key);
      if (found !== undefined) return found as Promise<T>;
      const started = new Promise<void>((resolve) => setTimeout(resolve, windowMs)).then(() => {
        waiting.delete(key);
        return run();
      });
      waiting.set(key, started);
      return started;
    },
  };
}
