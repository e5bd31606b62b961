import { describe, expect, it } from 'vitest';
import { createMemoryBucketStore } from '../../ratelimit/memory-bucket-store.ts';
import { fromCostBucket, fromPublishedLimit, type PublishedLimit } from './published-limits.ts';

/**
 * A greedy caller on a fake clock (one attempt every `stepMs`) against the bucket a published limit yields;
 * returns the grant times.
 */
async function greedyGrants(published: PublishedLimit, durationMs: number, stepMs: number): Promise<number[]> {
  let now = 0;
  const store = createMemoryBucketStore({ now: () => now });
  const shape = fromPublishedLimit(published);
  const grants: number[] = [];
  for (; now <= durationMs; now += stepMs) {
    if ((await store.take([{ key: 'k', ...shape, tokens: 1 }])).granted) grants.push(now);
  }
  return grants;
}

/** Most grants inside any window of `windowMs` (closed at both ends, the strictest reading). */
function busiestWindow(grants: readonly number[], windowMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; j < grants.length; j++) {
    while (grants[j]! - grants[i]! > windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('fromPublishedLimit', () => {
  it.each([
    { limit: 4, perSeconds: 3600, burst: 1 },
    { limit: 4, perSeconds: 3600, burst: 4 },
    { limit: 1, perSeconds: 3600 },
    { limit: 120, perSeconds: 60 },
    { limit: 120, perSeconds: 60, burst: 1 },
  ])('never grants more than the limit in any window, however aligned: %o', async (published) => {
    const windowMs = published.perSeconds * 1000;
    // Poll far more often than tokens arrive, so the caller is as greedy as can be.
    const grants = await greedyGrants(published, windowMs * 6, windowMs / (published.limit * 20));
    expect(busiestWindow(grants, windowMs)).toBeLessThanOrEqual(published.limit);
    // ...and still uses most of it: about limit − burst + 1 a window once the burst is spent.
    const burst = published.burst ?? Math.max(1, Math.floor(published.limit / 10));
    const sustained = (grants.length - burst) / 6;
    expect(sustained).toBeGreaterThanOrEqual(Math.floor(0.95 * (published.limit - burst + 1)) - 1);
  });

  it('refuses limits that make no sense', () => {
    for (const bad of [{ limit: 0, perSeconds: 60 }, { limit: 5, perSeconds: 0 }, { limit: 5, perSeconds: 60, burst: 6 }, { limit: 2.5, perSeconds: 60 }, { limit: 5, perSeconds: 60, safety: 1 }]) {
      expect(() => fromPublishedLimit(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
    }
  });

  it('mirrors a cost bucket exactly', () => {
    expect(fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 })).toEqual({ capacity: 1000, refillPerSec: 50, unit: 'cost' });
  });
});
