import { registryError } from '../../kernel/errors.ts';
import type { Cache } from '../../platform/ports/cache.ts';

export interface MemoryCacheOptions {
  /** Least recently used entries are evicted beyond this count. @default 10_000 */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; injectable so TTL tests need no real waiting. @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * The embedded Cache: an LRU with per-entry TTLs. A Map keeps insertion order, so re-inserting on every hit
 * makes its first key the least recently used one.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw registryError('MISCONFIGURED', 'maxEntries must be a positive integer', { details: { maxEntries } });
  }
  const entries = new Map<string, Entry>();
  /** Drops the least recently used entries beyond `maxEntries`. */
  const evict = (): void => {
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
  };

  return {
    async getMany(keys) {
      const at = now();
      return keys.map((key) => {
        const entry = entries.get(key);
        if (entry === undefined) return null;
        entries.delete(key);
        if (entry.expiresAt <= at) return null;
        entries.set(key, entry); // now the most recently used
        return entry.value;
      });
    },

    async setMany(items, ttlMs) {
      checkTtl(ttlMs);
      const expiresAt = now() + ttlMs;
      for (const [key, value] of items) {
        entries.delete(key);
        entries.set(key, { value, expiresAt });
      }
      evict();
    },

    async setManyIfNewer(items, orderField, ttlMs) {
      checkTtl(ttlMs);
      items.forEach(([, , order]) => checkOrder(order));
      const at = now();
      const written = items.map(([key, value, order]) => {
        const entry = entries.get(key);
        const stored = entry === undefined || entry.expiresAt <= at ? undefined : orderOf(entry.value, orderField);
        if (stored !== undefined && stored > order) return false;
        entries.delete(key);
        entries.set(key, { value, expiresAt: at + ttlMs });
        return true;
      });
      evict();
      return written;
    },

    async delete(keys) {
      for (const key of keys) entries.delete(key);
    },

    async close() {
      entries.clear();
    },
  };
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw registryError('INVALID_INPUT', 'ttlMs must be a positive integer', { details: { ttlMs } });
  }
}

/** setManyIfNewer's orders are compared as numbers (in Redis too): anything but a finite number is refused. */
export function checkOrder(order: number): void {
  if (typeof order !== 'number' || !Number.isFinite(order)) {
    throw registryError('INVALID_INPUT', 'order must be a finite number', { details: { order: String(order) } });
  }
}

/** The order a stored value carries (its JSON object's numeric `field`); undefined when it carries none. */
function orderOf(value: string, field: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const order = (parsed as Record<string, unknown>)[field];
    return typeof order === 'number' && Number.isFinite(order) ? order : undefined;
  } catch {
    return undefined;
  }
}
