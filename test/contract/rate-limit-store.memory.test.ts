import { describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { describeRateLimitStoreContract } from './rate-limit-store.contract.ts';

describeRateLimitStoreContract('memory', async () => createMemoryBucketStore());

describe('what only the memory store promises', () => {
  it('follows the injected clock, so fake time drives refill', async () => {
    let now = 1_000_000;
    const store = createMemoryBucketStore({ now: () => now });
    const shape = { capacity: 2, refillPerSec: 1 };
    const take = () => store.take([{ key: 'k', ...shape, tokens: 1 }]);
    expect((await take()).granted).toBe(true);
    expect((await take()).granted).toBe(true);
    expect(await take()).toMatchObject({ granted: false, waitMs: 1_000 });
    now += 999;
    expect((await take()).granted).toBe(false);
    now += 1;
    expect((await take()).granted).toBe(true);
    now += 3_600_000;
    expect(await store.peek('k', shape)).toBe(2);
    await store.close();
  });
});
