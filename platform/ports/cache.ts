/** Port: a string cache with per-entry TTLs (Redis in production, in-memory LRU embedded). */
export interface Cache {
  /** Values in the order of `keys`; null for misses and expired entries. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets every entry with the same TTL, in one round trip. */
  setMany(entries: readonly (readonly [key: string, value: string])[], ttlMs: number): Promise<void>;
  /**
   * Sets each entry unless its key holds a value of a later `order`, in one round trip, atomically per entry (a Redis
   * script; the in-memory cache is one process): a value observed later is never replaced by one observed earlier,
   * whichever write arrives last. The stored value's order is read from the value itself — a JSON object's numeric
   * top-level field `orderField` — so each `value` must carry its `order` there; a stored value without one (or not
   * JSON) counts as the oldest. An equal order replaces. Entries apply in their order. Returns, per entry, whether it
   * was written (a refused entry keeps its value and its TTL).
   */
  setManyIfNewer(entries: readonly (readonly [key: string, value: string, order: number])[], orderField: string, ttlMs: number): Promise<boolean[]>;
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
