/**
 * A store that keeps supplier traffic flowing when the shared store (Redis) fails: orders must get through a
 * Redis outage, so the limiter falls back to local buckets instead of failing every call (fail closed) or
 * sending without limits (fail open). Each process then only knows its own traffic, so every local bucket is
 * scaled by `share` (e.g. 1 / number of processes) to stay within the supplier's limit together.
 * After a failure the primary is left alone for `retryPrimaryAfterMs`: a Redis that is down would otherwise add
 * its command timeout to calls (a stopped Redis is refused in microseconds by the client's breaker, redis-guard.ts;
 * a hung one costs REDIS_COMMAND_TIMEOUT_MS per call until the breaker opens).
 */
import type { BucketDraw, BucketShape, RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import type { Logger } from '../../platform/logger.ts';
import { isRegistryError } from '../../kernel/errors.ts';

export interface FallbackBucketStoreOptions {
  readonly primary: RateLimitStore;
  /** Usually a memory store. */
  readonly fallback: RateLimitStore;
  /** Share of each bucket this process may use alone. @default 1 */
  readonly share?: number;
  /** How long the primary is left alone after it failed; bounds how soon shared buckets are used again. @default 1000 */
  readonly retryPrimaryAfterMs?: number;
  readonly log?: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

export function createFallbackBucketStore(options: FallbackBucketStoreOptions): RateLimitStore {
  const share = options.share ?? 1;
  const retryAfter = options.retryPrimaryAfterMs ?? 1_000;
  const now = options.now ?? (() => Date.now());
  let primaryDownUntil = 0;
  const scale = <S extends BucketShape>(shape: S): S => ({ ...shape, capacity: shape.capacity * share, refillPerSec: shape.refillPerSec * share });
  // A draw must still fit a scaled bucket (a 800-point query in a quarter of a 1000-point bucket), or it never could.
  const scaleDraw = (draw: BucketDraw): BucketDraw => {
    const floor = (draw.floor ?? 0) * share;
    return { ...scale(draw), capacity: Math.max(draw.capacity * share, draw.tokens + floor), floor };
  };

  async function either<T>(onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T> {
    if (now() >= primaryDownUntil) {
      try {
        const result = await onPrimary();
        if (primaryDownUntil !== 0) options.log?.info('rate-limit store is back; shared buckets in use again');
        primaryDownUntil = 0;
        return result;
      } catch (error) {
        // Only a store outage or failure falls back; a bad draw is the caller's bug and stays an error.
        if (!isRegistryError(error) || (error.code !== 'STORE_FAILURE' && error.code !== 'STORE_UNAVAILABLE')) throw error;
        if (primaryDownUntil === 0) options.log?.warn({ err: { message: error.message }, share }, 'rate-limit store failed; using local buckets');
        primaryDownUntil = now() + retryAfter;
      }
    }
    return onFallback();
  }

  return {
    take: (draws) => either(() => options.primary.take(draws), () => options.fallback.take(draws.map(scaleDraw))),
    adjust: (key, shape, change) => either(() => options.primary.adjust(key, shape, change), () => options.fallback.adjust(key, scale(shape), change)),
    peek: (key, shape) => either(() => options.primary.peek(key, shape), () => options.fallback.peek(key, scale(shape))),
    async close() {
      await Promise.all([options.primary.close(), options.fallback.close()]);
    },
  };
}
