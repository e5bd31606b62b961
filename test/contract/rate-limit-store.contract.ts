/**
 * One contract for every RateLimitStore (in-memory, Redis). Time is real: refill rates are chosen so a test
 * either waits a few hundred ms on purpose or cannot notice refill at all (0.001 tokens/s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketDraw, BucketShape, RateLimitStore } from '../../platform/ports/rate-limit-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type RateLimitStoreFactory = () => Promise<RateLimitStore>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Refill too slow to matter within one test. */
const STILL = 0.001;
let counter = 0;
/** A fresh bucket key per use, so no test sees another's state and a shared Redis needs no flush. */
const fresh = (name: string): string => `{contract}:${name}:${++counter}:${Math.random().toString(36).slice(2, 8)}`;
const draw = (key: string, shape: BucketShape, tokens = 1, floor = 0): BucketDraw => ({ key, ...shape, tokens, floor });

export function describeRateLimitStoreContract(name: string, make: RateLimitStoreFactory): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let store: RateLimitStore;

    beforeAll(async () => {
      store = await make();
    });

    afterAll(async () => {
      await store?.close();
    });

    it('starts a bucket full and grants exactly its capacity, then says how long to wait', async () => {
      const key = fresh('full');
      // A slow refill, so a loaded machine's pauses between takes (tens of ms) barely move the level.
      const shape = { capacity: 3, refillPerSec: 0.2 };
      for (let i = 2; i >= 0; i--) {
        const outcome = await store.take([draw(key, shape)]);
        expect(outcome.granted).toBe(true);
        expect(outcome.waitMs).toBe(0);
        expect(outcome.remaining[0]).toBeCloseTo(i, 1);
      }
      const denied = await store.take([draw(key, shape)]);
      expect(denied.granted).toBe(false);
      // One token at 0.2/s is 5 s away, less whatever refilled while the test ran.
      expect(denied.waitMs).toBeGreaterThan(3_000);
      expect(denied.waitMs).toBeLessThanOrEqual(5_000);
      expect(denied.remaining[0]).toBeLessThan(1);
    });

    it('refills at the given rate and never above capacity', async () => {
      const key = fresh('refill');
      const shape = { capacity: 4, refillPerSec: 20 };
      expect((await store.take([draw(key, shape, 4)])).granted).toBe(true);
      await sleep(160);
      const level = await store.peek(key, shape);
      expect(level).toBeGreaterThanOrEqual(3);
      expect(level).toBeLessThanOrEqual(4);
      expect((await store.take([draw(key, shape, 3)])).granted).toBe(true);
      await sleep(400);
      expect(await store.peek(key, shape)).toBe(4);
    });

    it('takes many tokens at once, and waits for all of them', async () => {
      const key = fresh('many');
      const shape = { capacity: 10, refillPerSec: 10 };
      expect((await store.take([draw(key, shape, 10)])).granted).toBe(true);
      const denied = await store.take([draw(key, shape, 5)]);
      expect(denied.granted).toBe(false);
      expect(denied.waitMs).toBeGreaterThan(250);
      expect(denied.waitMs).toBeLessThanOrEqual(500);
    });

    it('leaves the floor in the bucket: a low lane waits while a high lane still gets through', async () => {
      const key = fresh('floor');
      const shape = { capacity: 10, refillPerSec: STILL };
      expect((await store.take([draw(key, shape, 1, 8)])).granted).toBe(true); // 10 → 9
      expect((await store.take([draw(key, shape, 1, 8)])).granted).toBe(true); // 9 → 8
      const low = await store.take([draw(key, shape, 1, 8)]);
      expect(low.granted).toBe(false);
      expect(low.waitMs).toBeGreaterThan(900_000);
      expect((await store.take([draw(key, shape, 1)])).granted).toBe(true); // 8 → 7
      expect(await store.peek(key, shape)).toBeCloseTo(7, 2);
    });

    it('answers Infinity for a draw that can never fit, and debits nothing', async () => {
      const key = fresh('never');
      const shape = { capacity: 5, refillPerSec: 1 };
      const tooBig = await store.take([draw(key, shape, 6)]);
      expect(tooBig).toMatchObject({ granted: false, waitMs: Number.POSITIVE_INFINITY });
      const floorTooHigh = await store.take([draw(key, shape, 2, 4)]);
      expect(floorTooHigh.waitMs).toBe(Number.POSITIVE_INFINITY);
      const noRefill = { capacity: 1, refillPerSec: 0 };
      const other = fresh('norefill');
      expect((await store.take([draw(other, noRefill)])).granted).toBe(true);
      expect((await store.take([draw(other, noRefill)])).waitMs).toBe(Number.POSITIVE_INFINITY);
      expect(await store.peek(key, shape)).toBe(5);
    });

    it('takes from several buckets all or nothing', async () => {
      const minute = fresh('minute');
      const hour = fresh('hour');
      const minuteShape = { capacity: 5, refillPerSec: STILL };
      const hourShape = { capacity: 1, refillPerSec: 0.5 };
      const both = (): BucketDraw[] => [draw(minute, minuteShape), draw(hour, hourShape)];
      const first = await store.take(both());
      expect(first.granted).toBe(true);
      expect(first.remaining.map((r) => Math.round(r))).toEqual([4, 0]);
      const second = await store.take(both());
      expect(second.granted).toBe(false);
      expect(second.waitMs).toBeGreaterThan(1_400);
      expect(second.waitMs).toBeLessThanOrEqual(2_000);
      expect(await store.peek(minute, minuteShape)).toBeCloseTo(4, 2);
    });

    it('reports each bucket\'s level on a refused take, so a caller can tell which bucket lacks room', async () => {
      // The gateway's request limit names the tenant's or the shopper's bucket in its 429 from these levels
      // (gateway/auth/request-rate-limit.ts).
      const tenant = fresh('tenant');
      const shopper = fresh('shopper');
      const tenantShape = { capacity: 10, refillPerSec: STILL };
      const shopperShape = { capacity: 2, refillPerSec: STILL };
      const both = (): BucketDraw[] => [draw(tenant, tenantShape), draw(shopper, shopperShape)];
      expect((await store.take(both())).granted).toBe(true);
      expect((await store.take(both())).granted).toBe(true);
      const refused = await store.take(both());
      expect(refused.granted).toBe(false);
      expect(refused.remaining).toHaveLength(2);
      expect(refused.remaining[0]).toBeCloseTo(8, 2);
      expect(refused.remaining[1]).toBeLessThan(1);
      // Nothing was taken from the bucket that had room.
      expect(await store.peek(tenant, tenantShape)).toBeCloseTo(8, 2);
    });

    it('refunds, debits into debt, sets and lowers a bucket', async () => {
      const key = fresh('adjust');
      const shape = { capacity: 100, refillPerSec: 10 };
      expect((await store.take([draw(key, shape, 80)])).granted).toBe(true);
      expect(await store.adjust(key, shape, { delta: 30 })).toBeCloseTo(50, 0);
      expect(await store.adjust(key, shape, { delta: 500 })).toBe(100); // capped at capacity
      expect(await store.adjust(key, shape, { delta: -130 })).toBeCloseTo(-30, 0); // a debt
      const waiting = await store.take([draw(key, shape, 10)]);
      expect(waiting.granted).toBe(false);
      expect(waiting.waitMs).toBeGreaterThan(3_500); // 40 tokens at 10/s
      expect(await store.adjust(key, shape, { delta: -10_000 })).toBe(-100); // debts are bounded
      expect(await store.adjust(key, shape, { set: 60 })).toBeCloseTo(60, 0);
      expect(await store.adjust(key, shape, { atMost: 90 })).toBeCloseTo(60, 0); // never raises
      expect(await store.adjust(key, shape, { atMost: 20 })).toBeCloseTo(20, 0);
      expect(await store.adjust(key, shape, { set: 50, atMost: 40, delta: -5 })).toBeCloseTo(35, 0);
    });

    it('peeks without changing the bucket', async () => {
      const key = fresh('peek');
      const shape = { capacity: 2, refillPerSec: STILL };
      expect(await store.peek(key, shape)).toBe(2);
      expect(await store.peek(key, shape)).toBe(2);
      expect((await store.take([draw(key, shape, 2)])).granted).toBe(true);
      expect(await store.peek(key, shape)).toBeCloseTo(0, 2);
    });

    it('grants exactly capacity to a burst of concurrent takes', async () => {
      const key = fresh('burst');
      const shape = { capacity: 10, refillPerSec: STILL };
      const outcomes = await Promise.all(Array.from({ length: 40 }, () => store.take([draw(key, shape)])));
      expect(outcomes.filter((o) => o.granted)).toHaveLength(10);
    });

    it('refuses meaningless shapes and draws with registry errors', async () => {
      const key = fresh('bad');
      await expectRegistryCode(store.take([draw(key, { capacity: 0, refillPerSec: 1 })]), 'MISCONFIGURED');
      await expectRegistryCode(store.take([draw(key, { capacity: 1, refillPerSec: -1 })]), 'MISCONFIGURED');
      await expectRegistryCode(store.take([draw(key, { capacity: 1, refillPerSec: 1 }, 0)]), 'INVALID_INPUT');
      await expectRegistryCode(store.take([]), 'INVALID_INPUT');
      await expectRegistryCode(store.peek(key, { capacity: Number.NaN, refillPerSec: 1 }), 'MISCONFIGURED');
      await expectRegistryCode(store.adjust(key, { capacity: 1, refillPerSec: Number.POSITIVE_INFINITY }, { delta: 1 }), 'MISCONFIGURED');
    });
  });
}
