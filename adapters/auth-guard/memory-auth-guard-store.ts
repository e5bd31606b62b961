import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';

export interface MemoryAuthGuardStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** Entries kept at most; the oldest are dropped first (a flood of addresses cannot grow memory without bound). @default 100_000 */
  readonly maxEntries?: number;
}

/** The embedded AuthGuardStore: one process's counters and claims, each forgotten when its window ends. */
export function createMemoryAuthGuardStore(options: MemoryAuthGuardStoreOptions = {}): AuthGuardStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const counters = new Map<string, { count: number; endsAt: number }>();
  const claims = new Map<string, number>();

  /**
   * Drops entries from the oldest while they are expired or the map is full. Entries of one map share their TTL
   * in practice (one window length, one token lifetime), so insertion order is expiry order and this stops at the
   * first live entry: O(entries dropped), never a scan of the map. When full of live entries, the oldest is
   * forgotten early (a bound on memory under a flood; the Redis store has no such bound).
   */
  const makeRoom = <V>(map: Map<string, V>, endOf: (v: V) => number) => {
    const t = now();
    for (const [key, value] of map) {
      if (endOf(value) > t && map.size < maxEntries) break;
      map.delete(key);
    }
  };

  return {
    async countFailure(key, windowMs) {
      checkTtl(windowMs);
      const t = now();
      let entry = counters.get(key);
      if (entry === undefined || entry.endsAt <= t) {
        counters.delete(key);
        makeRoom(counters, (v) => v.endsAt);
        entry = { count: 0, endsAt: t + windowMs };
        counters.set(key, entry);
      }
      entry.count += 1;
      return { count: entry.count, resetInMs: entry.endsAt - t };
    },
    async claimOnce(key, ttlMs) {
      checkTtl(ttlMs);
      const t = now();
      const until = claims.get(key);
      if (until !== undefined && until > t) return false;
      claims.delete(key);
      makeRoom(claims, (v) => v);
      claims.set(key, t + ttlMs);
      return true;
    },
    async close() {
      counters.clear();
      claims.clear();
    },
  };
}

export function checkTtl(ms: number): void {
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`auth guard TTL must be a positive integer of ms (got ${ms})`);
}
