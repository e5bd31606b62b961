/**
 * One contract for every AuthGuardStore (memory embedded, Redis shared): fixed failure windows that are not
 * extended by later failures, and single-use claims of which exactly one of many concurrent callers wins.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthGuardStore } from '../../platform/ports/auth-guard-store.ts';

export type AuthGuardStoreFactory = () => Promise<AuthGuardStore>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeAuthGuardStoreContract(name: string, make: AuthGuardStoreFactory): void {
  describe(`AuthGuardStore contract: ${name}`, () => {
    let store: AuthGuardStore;
    // Fresh keys per test: the stores have no clear(), and Redis keys expire on their own.
    const key = (label: string) => `${label}:${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      store = await make();
    });

    afterAll(async () => {
      await store.close();
    });

    it('counts failures per key within a window, and says when the window ends', async () => {
      const k = key('addr');
      const first = await store.countFailure(k, 10_000);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(9_000);
      expect(first.resetInMs).toBeLessThanOrEqual(10_000);
      expect((await store.countFailure(k, 10_000)).count).toBe(2);
      expect((await store.countFailure(key('other'), 10_000)).count).toBe(1);
      expect((await store.countFailure(k, 10_000)).count).toBe(3);
    });

    it('keeps the window fixed: later failures do not extend it, and the count starts again after it', async () => {
      const k = key('window');
      const first = await store.countFailure(k, 300);
      await sleep(150);
      const later = await store.countFailure(k, 300);
      expect(later.count).toBe(2);
      expect(later.resetInMs).toBeLessThanOrEqual(first.resetInMs - 100);
      await sleep(later.resetInMs + 50);
      expect((await store.countFailure(k, 300)).count).toBe(1);
    });

    it('counts every one of many concurrent failures', async () => {
      const k = key('burst');
      const counts = await Promise.all(Array.from({ length: 50 }, () => store.countFailure(k, 10_000)));
      expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('lets exactly one of many concurrent claims of one key win, and others keys claim on their own', async () => {
      const k = key('jti');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce(k, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.claimOnce(k, 10_000)).toBe(false);
      expect(await store.claimOnce(key('jti'), 10_000)).toBe(true);
    });

    it('forgets a claim after its TTL', async () => {
      const k = key('ttl');
      expect(await store.claimOnce(k, 150)).toBe(true);
      expect(await store.claimOnce(k, 150)).toBe(false);
      await sleep(250);
      expect(await store.claimOnce(k, 150)).toBe(true);
    });

    it('refuses a TTL that is not a positive integer of milliseconds', async () => {
      await expect(store.claimOnce(key('bad'), 0)).rejects.toThrow(/positive integer/);
      await expect(store.countFailure(key('bad'), 1.5)).rejects.toThrow(/positive integer/);
    });
  });
}
