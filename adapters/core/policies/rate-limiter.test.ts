import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryBucketStore } from '../../ratelimit/memory-bucket-store.ts';
import type { Lane } from '../connector.ts';
import { isRegistryError } from '../../../kernel/errors.ts';
import { createRateLimiter, type RateLimiterOptions } from './rate-limiter.ts';
import { fromCostBucket } from './published-limits.ts';

const never = new AbortController().signal;
const acquire = (limiter: ReturnType<typeof createRateLimiter>, lane: Lane, operation = 'getStock', maxWaitMs = 60_000, signal = never) =>
  limiter.acquire({ operation, lane, signal, maxWaitMs });

const limiterWith = (overrides: Partial<RateLimiterOptions> = {}) =>
  createRateLimiter({ supplier: 'acme', store: createMemoryBucketStore(), classes: { default: { capacity: 2, refillPerSec: 1 } }, ...overrides });

/** Settles the microtasks a memory-store round trip needs, without moving the clock. */
const flush = () => vi.advanceTimersByTimeAsync(0);

describe('createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('grants the burst at once, then waits for refill instead of sending', async () => {
    const limiter = limiterWith();
    await acquire(limiter, 'order');
    const second = await acquire(limiter, 'order');
    expect(second.remaining['default']).toBeCloseTo(0, 5);
    // The bucket's size rides along, for the quota gauge (tokens left over capacity).
    expect(second.capacity).toEqual({ default: 2 });
    let granted = false;
    const third = acquire(limiter, 'order').then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(990);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    await third;
    expect(granted).toBe(true);
  });

  it('fails fast with RATE_LIMITED_LOCALLY when the wait would pass the deadline, taking nothing', async () => {
    const limiter = limiterWith();
    await acquire(limiter, 'order');
    await acquire(limiter, 'order');
    const error = await acquire(limiter, 'order', 'getStock', 500).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED_LOCALLY', errorClass: 'transient', supplier: 'acme', retryAfterMs: 1_000 });
    expect(vi.getTimerCount()).toBe(0); // no waiter left behind
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(acquire(limiter, 'order', 'getStock', 0)).resolves.toBeDefined();
  });

  it('serves waiting order calls before interactive before sync, FIFO within a lane', async () => {
    const limiter = limiterWith({ classes: { default: { capacity: 1, refillPerSec: 1 } }, reserve: { interactive: 0, sync: 0 } });
    await acquire(limiter, 'order');
    const served: string[] = [];
    const wait = (lane: Lane, name: string) => acquire(limiter, lane).then(() => served.push(name));
    const all = [wait('sync', 'sync-1'), wait('sync', 'sync-2'), wait('interactive', 'live'), wait('order', 'order')];
    await flush();
    expect(limiter.queued()).toBe(4);
    await vi.advanceTimersByTimeAsync(4_100);
    await Promise.all(all);
    expect(served).toEqual(['order', 'live', 'sync-1', 'sync-2']);
  });

  it('keeps a reserve across processes: sync elsewhere cannot drain what an order needs', async () => {
    const store = createMemoryBucketStore();
    const classes = { default: { capacity: 10, refillPerSec: 0.01 } };
    const syncProcess = createRateLimiter({ supplier: 'acme', store, classes });
    const orderProcess = createRateLimiter({ supplier: 'acme', store, classes });
    let syncGranted = 0;
    for (let i = 0; i < 10; i++) {
      const ok = await acquire(syncProcess, 'sync', 'getStock', 0).then(() => true, () => false);
      if (ok) syncGranted += 1;
    }
    expect(syncGranted).toBe(7); // 30% of 10 is left for higher lanes
    await expect(acquire(syncProcess, 'interactive', 'getStock', 0)).resolves.toBeDefined(); // interactive may go down to 10%
    await expect(acquire(orderProcess, 'order', 'placeOrder', 0)).resolves.toBeDefined();
    // Sync has spent its share and may not borrow below its floor.
    await expect(acquire(orderProcess, 'sync', 'getStock', 0)).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
  });

  it('keeps tracking within its share however idle the supplier is', async () => {
    // 10 calls a second, tracking's share 15 %: over 20 s it may take its burst (1.5) plus 1.5 a second, no more.
    const limiter = limiterWith({ classes: { default: { capacity: 10, refillPerSec: 10 } } });
    let granted = 0;
    const started = Date.now();
    while (Date.now() - started < 20_000) {
      if (await acquire(limiter, 'tracking', 'getOrderStatus', 0).then(() => true, () => false)) granted += 1;
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(granted).toBeGreaterThanOrEqual(28);
    expect(granted).toBeLessThanOrEqual(Math.floor(1.5 + 1.5 * 20));
  });

  it('never refuses a live read because tracking spent the budget; tracking still gets its share under a live-read flood', async () => {
    const store = createMemoryBucketStore();
    const classes = { default: { capacity: 10, refillPerSec: 10 } };
    const tracker = createRateLimiter({ supplier: 'acme', store, classes });
    const reader = createRateLimiter({ supplier: 'acme', store, classes });
    let tracked = 0;
    let read = 0;
    let refused = 0;
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      // Tracking asks as fast as it can; live reads at 7 a second (the supplier's rate less tracking's share).
      for (let i = 0; i < 5; i++) if (await acquire(tracker, 'tracking', 'getOrderStatus', 0).then(() => true, () => false)) tracked += 1;
      if ((Date.now() - started) % 1000 < 700) {
        if (await acquire(reader, 'interactive', 'getStock', 0).then(() => true, () => false)) read += 1;
        else refused += 1;
      }
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(refused).toBe(0);
    expect(read).toBe(70);
    expect(tracked).toBeGreaterThanOrEqual(14);
    expect(tracked).toBeLessThanOrEqual(17);
  });

  it('refuses lane shares over the whole budget, and a lane that could never call', () => {
    expect(() => limiterWith({ shares: { tracking: 0.5, sync: 0.5 } })).toThrow(/sum to/);
    expect(() => limiterWith({ shares: { tracking: 0 } })).toThrow(/tracking has no share and may not borrow/);
  });

  it('stops waiting when the caller aborts, and the tokens go to the next waiter', async () => {
    const limiter = limiterWith({ classes: { default: { capacity: 1, refillPerSec: 1 } } });
    await acquire(limiter, 'order');
    const controller = new AbortController();
    const aborted = acquire(limiter, 'order', 'getStock', 60_000, controller.signal).catch((e: unknown) => e);
    const next = acquire(limiter, 'order');
    await flush();
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'CALL_ABORTED' });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBeDefined();
    expect(limiter.queued()).toBe(0);
  });

  it('lets a waiter behind others give up at its own deadline', async () => {
    const limiter = limiterWith({ classes: { default: { capacity: 1, refillPerSec: 0.1 } }, reserve: { sync: 0 } });
    await acquire(limiter, 'order');
    const head = acquire(limiter, 'order', 'getStock', 60_000);
    const behind = acquire(limiter, 'sync', 'getStock', 12_000).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(await behind).toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(head).resolves.toBeDefined();
  });

  it('draws an hourly quota for bulk calls only, all or nothing', async () => {
    const limiter = limiterWith({
      classes: { default: { capacity: 5, refillPerSec: 1 }, bulkStock: { capacity: 1, refillPerSec: 3 / 3600 } },
      operations: { bulkStock: ['default', 'bulkStock'] },
      reserve: { sync: 0 },
    });
    await acquire(limiter, 'sync', 'bulkStock');
    const error = await acquire(limiter, 'sync', 'bulkStock', 60_000).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMITED_LOCALLY', details: { classes: ['default', 'bulkStock'] } });
    expect(isRegistryError(error) && error.retryAfterMs).toBeGreaterThan(1_000_000);
    for (let i = 0; i < 4; i++) await acquire(limiter, 'sync', 'getStock', 0);
    expect((await limiter.peek())['default']).toBeCloseTo(0, 5);
  });

  it('takes an estimated cost and settles the actual one', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 800 } });
    const permit = await acquire(limiter, 'order');
    expect(permit.cost).toBe(800);
    expect((await limiter.peek())['default']).toBeCloseTo(200, 5);
    await permit.finish(120);
    expect((await limiter.peek())['default']).toBeCloseTo(880, 5);
    const second = await acquire(limiter, 'order');
    await second.finish(900); // under-estimated: the difference is charged
    expect((await limiter.peek())['default']).toBeCloseTo(-20, 5);
    await expect(limiter.acquire({ operation: 'health', lane: 'order', signal: never, maxWaitMs: 0, cost: 5 })).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY', retryAfterMs: 500 });
  });

  it('follows the throttle status the supplier reports, keeping points of calls still in flight', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 100 } });
    const inFlight = await acquire(limiter, 'order');
    await limiter.observeThrottleStatus({ currentlyAvailable: 400, maximumAvailable: 2000, restoreRate: 100, observedAt: Date.now() - 1_000 });
    // 400 reported a second ago, +100 restored since, −100 still in flight; the bucket is now 2000 at 100/s.
    expect((await limiter.peek())['default']).toBeCloseTo(400, 5);
    await limiter.observeThrottleStatus({ currentlyAvailable: 1500, maximumAvailable: 2000, restoreRate: 100, observedAt: Date.now() - 5_000 });
    expect((await limiter.peek())['default']).toBeCloseTo(400, 5); // older than the last report: ignored
    await inFlight.finish();
    await limiter.observeThrottleStatus({ currentlyAvailable: 1990, maximumAvailable: 2000, restoreRate: 100, observedAt: Date.now() });
    expect((await limiter.peek())['default']).toBeCloseTo(1990, 5);
  });

  it('ignores throttle status when no class counts cost', async () => {
    const limiter = limiterWith();
    await limiter.observeThrottleStatus({ currentlyAvailable: 0, maximumAvailable: 10, restoreRate: 1 });
    expect((await limiter.peek())['default']).toBe(2);
  });

  it('drains the most specific bucket when the supplier throttles, so the next call waits Retry-After', async () => {
    const limiter = limiterWith({
      classes: { default: { capacity: 10, refillPerSec: 2 }, bulkStock: { capacity: 2, refillPerSec: 1 } },
      operations: { bulkStock: ['default', 'bulkStock'] },
    });
    await limiter.observeThrottled('bulkStock', 3_000);
    const levels = await limiter.peek();
    expect(levels['default']).toBe(10);
    expect(levels['bulkStock']).toBeCloseTo(-2, 5);
    await expect(acquire(limiter, 'order', 'bulkStock', 0)).rejects.toMatchObject({ retryAfterMs: 3_000 });
    await limiter.observeThrottled('getStock', undefined);
    expect((await limiter.peek())['default']).toBe(0);
  });

  // Issue 14: one report with a tiny restore rate and a negative level refused every maplecart call for 14.6 days.
  it('adopts a reported cost bucket only within a band around the published one, its level within [0, capacity]', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 160 } });
    await limiter.observeThrottleStatus({ currentlyAvailable: -1e12, maximumAvailable: 1e12, restoreRate: 1e-9 });
    expect((await limiter.peek())['default']).toBe(0); // floored: a supplier's bucket refuses rather than owe
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await limiter.peek())['default']).toBeCloseTo(12.5, 5); // restore rate at least published / 4
    await limiter.observeThrottleStatus({ currentlyAvailable: 1e12, maximumAvailable: 1e12, restoreRate: 1e12 });
    expect((await limiter.peek())['default']).toBe(4_000); // capacity at most published × 4, level at most capacity
    // A report with a non-finite number says nothing: ignored whole.
    await limiter.observeThrottleStatus({ currentlyAvailable: 10, maximumAvailable: Number.POSITIVE_INFINITY, restoreRate: 50 });
    await limiter.observeThrottleStatus({ currentlyAvailable: Number.NaN, maximumAvailable: 1000, restoreRate: 50 });
    expect((await limiter.peek())['default']).toBe(4_000);
    // A capacity or restore rate of 0 is no shape: the published one stands.
    await vi.advanceTimersByTimeAsync(1);
    await limiter.observeThrottleStatus({ currentlyAvailable: 5_000, maximumAvailable: 0, restoreRate: 0 });
    expect((await limiter.peek())['default']).toBe(1_000);
  });

  it('caps every wait resting on the supplier word: its Retry-After and a refusal on the reported bucket', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 160 }, longestWaitMs: 2_000, probeEveryMs: 60_000 });
    await limiter.observeThrottled('getStock', 1e15);
    expect((await limiter.peek())['default']).toBeCloseTo(160 - 2 * 50, 5); // one call's worth back after 2 s, not 31,700 years
    await limiter.observeThrottleStatus({ currentlyAvailable: 0, maximumAvailable: 1000, restoreRate: 12.5 });
    const refused = await acquire(limiter, 'order', 'getStock', 100).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED_LOCALLY', retryAfterMs: 2_000 }); // 12.8 s of refill, reported as the cap
    await expect(acquire(limiter, 'order', 'getStock', 100)).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
  });

  it('lets one call per probe interval past a cost bucket a poisoned report emptied, across processes, and a healthy report reopens it', async () => {
    const store = createMemoryBucketStore();
    const options: RateLimiterOptions = {
      supplier: 'maplecart',
      store,
      classes: { default: { capacity: 4, refillPerSec: 0.001 }, cost: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) },
      operations: { getStock: ['default', 'cost'] },
      costs: { getStock: 160 },
      probeEveryMs: 1_000,
      longestWaitMs: 2_000,
    };
    const here = createRateLimiter(options);
    const there = createRateLimiter(options); // another process on the same store
    const poison = { currentlyAvailable: -1e9, maximumAvailable: 1e9, restoreRate: 1e-6 };
    await here.observeThrottleStatus(poison);
    await there.observeThrottleStatus(poison);
    const probe = await acquire(here, 'interactive', 'getStock', 2_000);
    expect(probe).toMatchObject({ probe: true, cost: 0 }); // sent without cost points, to let a fresh report in
    const refused = await acquire(there, 'interactive', 'getStock', 500).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED_LOCALLY' }); // one probe per interval for both processes
    expect(isRegistryError(refused) && refused.retryAfterMs).toBeLessThanOrEqual(1_000);
    await probe.finish();
    await vi.advanceTimersByTimeAsync(1); // the probe's answer, a moment later
    await here.observeThrottleStatus({ currentlyAvailable: 990, maximumAvailable: 1000, restoreRate: 50 });
    // The other process still holds the poisoned (bounded) shape from its last report, yet the level is back for it.
    const healed = await acquire(there, 'interactive', 'getStock', 0);
    expect(healed.probe).toBeUndefined();
    expect(healed.cost).toBe(160);
  });

  it('keeps our published request limit for a probe too', async () => {
    const limiter = limiterWith({
      classes: { default: { capacity: 1, refillPerSec: 0.001 }, cost: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) },
      operations: { getStock: ['default', 'cost'] },
      costs: { getStock: 160 },
      probeEveryMs: 1_000,
    });
    await limiter.observeThrottleStatus({ currentlyAvailable: -1e9, maximumAvailable: 1e9, restoreRate: 1e-6 });
    expect(await acquire(limiter, 'order', 'getStock', 0)).toMatchObject({ probe: true });
    await vi.advanceTimersByTimeAsync(1_000); // the probe token is back, the request bucket is not
    await expect(acquire(limiter, 'order', 'getStock', 0)).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY' });
  });

  it('lets an adopted shape lapse a probe interval after its last report, back to the published one', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, probeEveryMs: 1_000 });
    await limiter.observeThrottleStatus({ currentlyAvailable: 3_000, maximumAvailable: 4_000, restoreRate: 50 });
    expect((await limiter.peek())['default']).toBe(3_000);
    await vi.advanceTimersByTimeAsync(1_001);
    expect((await limiter.peek())['default']).toBe(1_000);
  });

  it('does not renew an adoption with the same report again (passed after an attempt that got no answer)', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, probeEveryMs: 1_000 });
    const report = { currentlyAvailable: 3_000, maximumAvailable: 4_000, restoreRate: 50, observedAt: Date.now() };
    await limiter.observeThrottleStatus(report);
    await vi.advanceTimersByTimeAsync(1_001);
    await limiter.observeThrottleStatus(report);
    expect((await limiter.peek())['default']).toBe(1_000);
  });

  it('sends no probe while the cost bucket refills within a probe interval', async () => {
    const limiter = limiterWith({ classes: { default: fromCostBucket({ maximumAvailable: 1000, restoreRate: 50 }) }, costs: { getStock: 160 }, probeEveryMs: 15_000 });
    await limiter.observeThrottleStatus({ currentlyAvailable: 0, maximumAvailable: 1000, restoreRate: 50 });
    await expect(acquire(limiter, 'order', 'getStock', 100)).rejects.toMatchObject({ code: 'RATE_LIMITED_LOCALLY', retryAfterMs: 3_200 });
  });

  it('refuses configurations that cannot work', () => {
    const bad = (options: Partial<RateLimiterOptions>) => expect(() => limiterWith(options)).toThrow(expect.objectContaining({ code: 'MISCONFIGURED' }));
    bad({ classes: { other: { capacity: 1, refillPerSec: 1 } } });
    bad({ classes: { default: { capacity: 0, refillPerSec: 1 } } });
    bad({ classes: { default: { capacity: 1, refillPerSec: 0 } } });
    bad({ operations: { getStock: ['missing'] } });
    bad({ reserve: { sync: 1 } });
    bad({ adoptBand: 0.5 });
    bad({ probeEveryMs: 0 });
    bad({ longestWaitMs: Number.POSITIVE_INFINITY });
    bad({ classes: { default: fromCostBucket({ maximumAvailable: 1, restoreRate: 1 }), b: fromCostBucket({ maximumAvailable: 1, restoreRate: 1 }) } });
  });
});
