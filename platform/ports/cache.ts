/** Port: a string cache with per-entry TTLs (Redis in production, in-memory LRU embedded). */
export interface Cache {
  /** Values in the order of `keys`; null for misses and expired entries. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Sets every entry with the same TTL, in one round trip. */
  setMany(entries: readonly (readonly [key: string, value: string])[], ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
