/**
 * Token buckets in process memory: the embedded default (one process, so nothing to share). Same arithmetic
 * as the Redis store (bucket-math.ts); JavaScript's single thread makes every call atomic.
 */
import type { BucketShape, RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { checkDraws, checkShape, clampLevel, idleTtlMs, levelAt, waitMsFor, type BucketState } from './bucket-math.ts';

export interface MemoryBucketStoreOptions {
  /** Clock in ms; read on every call so fake timers work. @default Date.now */
  readonly now?: () => number;
}

interface Entry extends BucketState {
  /** Past this instant the bucket is full again, so the entry can go. */
  readonly forgetAt: number;
}

/** Sweep idle buckets every this many writes: keeps the map bounded without a timer to clean up. */
const SWEEP_EVERY = 1_000;

export function createMemoryBucketStore(options: MemoryBucketStoreOptions = {}): RateLimitStore {
  const now = options.now ?? (() => Date.now());
  const buckets = new Map<string, Entry>();
  let writes = 0;

  const read = (key: string, t: number): Entry | undefined => {
    const entry = buckets.get(key);
    return entry && entry.forgetAt > t ? entry : undefined;
  };

  const write = (key: string, shape: BucketShape, tokens: number, t: number): void => {
    buckets.set(key, { tokens, at: t, forgetAt: t + idleTtlMs(tokens, shape) });
    if (++writes % SWEEP_EVERY === 0) {
      for (const [k, entry] of buckets) if (entry.forgetAt <= t) buckets.delete(k);
    }
  };

  return {
    async take(draws) {
      checkDraws(draws);
      const t = now();
      const levels = draws.map((draw) => levelAt(read(draw.key, t), draw, t));
      const waitMs = Math.max(...draws.map((draw, i) => waitMsFor(levels[i]!, draw)));
      if (waitMs > 0) return { granted: false, waitMs, remaining: levels };
      const remaining = draws.map((draw, i) => levels[i]! - draw.tokens);
      draws.forEach((draw, i) => write(draw.key, draw, remaining[i]!, t));
      return { granted: true, waitMs: 0, remaining };
    },

    async adjust(key, shape, change) {
      checkShape(shape, key);
      const t = now();
      let level = levelAt(read(key, t), shape, t);
      if (change.set !== undefined) level = change.set;
      if (change.atMost !== undefined) level = Math.min(level, change.atMost);
      level = clampLevel(level + (change.delta ?? 0), shape);
      write(key, shape, level, t);
      return level;
    },

    async peek(key, shape) {
      checkShape(shape, key);
      const t = now();
      return levelAt(read(key, t), shape, t);
    },

    async close() {
      buckets.clear();
    },
  };
}
