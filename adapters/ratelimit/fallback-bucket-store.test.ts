import { describe, expect, it } from 'vitest';
import { registryError } from '../../kernel/errors.ts';
import type { RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { createFallbackBucketStore } from './fallback-bucket-store.ts';
import { createMemoryBucketStore } from './memory-bucket-store.ts';

/** A primary that can be switched off, counting the calls that reach it. */
function switchable(inner: RateLimitStore) {
  const state = { down: false, calls: 0 };
  const guard = <T>(run: () => Promise<T>): Promise<T> => {
    state.calls += 1;
    return state.down ? Promise.reject(registryError('STORE_FAILURE', 'Redis take failed: connection refused')) : run();
  };
  const store: RateLimitStore = {
    take: (draws) => guard(() => inner.take(draws)),
    adjust: (key, shape, change) => guard(() => inner.adjust(key, shape, change)),
    peek: (key, shape) => guard(() => inner.peek(key, shape)),
    close: () => inner.close(),
  };
  return { store, state };
}

describe('createFallbackBucketStore', () => {
  it('uses scaled local buckets while the primary fails, and goes back to it later', async () => {
    let now = 0;
    const primary = switchable(createMemoryBucketStore({ now: () => now }));
    const store = createFallbackBucketStore({ primary: primary.store, fallback: createMemoryBucketStore({ now: () => now }), share: 0.5, retryPrimaryAfterMs: 5_000, now: () => now });
    const draw = { key: 'k', capacity: 4, refillPerSec: 0.001, tokens: 1 };
    expect((await store.take([draw])).remaining).toEqual([3]);
    primary.state.down = true;
    const local = [await store.take([draw]), await store.take([draw]), await store.take([draw])];
    expect(local.map((o) => o.granted)).toEqual([true, true, false]); // half of 4
    expect(primary.state.calls).toBe(2); // one failure, then left alone
    primary.state.down = false;
    now += 5_000;
    expect((await store.take([draw])).remaining[0]).toBeCloseTo(2, 2);
  });

  it('keeps a draw that fits the whole bucket able to fit a scaled one', async () => {
    const primary = switchable(createMemoryBucketStore());
    primary.state.down = true;
    const store = createFallbackBucketStore({ primary: primary.store, fallback: createMemoryBucketStore(), share: 0.25 });
    expect((await store.take([{ key: 'cost', capacity: 1000, refillPerSec: 50, tokens: 800 }])).granted).toBe(true);
  });

  it('falls back on STORE_UNAVAILABLE too (a stopped Redis, refused by the client breaker)', async () => {
    const unavailable: RateLimitStore = { ...createMemoryBucketStore(), take: () => Promise.reject(registryError('STORE_UNAVAILABLE', 'Redis ratelimit.take refused: not connected')) };
    const store = createFallbackBucketStore({ primary: unavailable, fallback: createMemoryBucketStore() });
    expect((await store.take([{ key: 'k', capacity: 2, refillPerSec: 1, tokens: 1 }])).granted).toBe(true);
  });

  it('passes errors other than a store failure through', async () => {
    const store = createFallbackBucketStore({ primary: createMemoryBucketStore(), fallback: createMemoryBucketStore() });
    await expect(store.take([])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
