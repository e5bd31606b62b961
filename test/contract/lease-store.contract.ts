/**
 * One contract for every LeaseStore (memory embedded, Redis shared): one holder at a time, expiry hands the lease
 * on, fencing tokens only grow, and a holder whose lease passed on can neither renew, nor pass the fence, nor
 * release the new holder's lease. Plus the keeper over the same store: of several keepers exactly one holds.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaseStore } from '../../platform/ports/lease-store.ts';
import { createLeaseKeeper } from '../../platform/lease-keeper.ts';
import { silentLogger } from '../../platform/logger.ts';

export type LeaseStoreFactory = () => Promise<LeaseStore>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeLeaseStoreContract(name: string, make: LeaseStoreFactory): void {
  describe(`LeaseStore contract: ${name}`, () => {
    let store: LeaseStore;
    const lease = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

    beforeAll(async () => {
      store = await make();
    });
    afterAll(async () => {
      await store.close();
    });

    it('grants a free lease to one holder and refuses others while it is held', async () => {
      const n = lease('one');
      const a = await store.acquire(n, 'a', 10_000);
      expect(a).toMatchObject({ name: n, holder: 'a' });
      expect(await store.acquire(n, 'b', 10_000)).toBeNull();
      expect(await store.acquire(n, 'a', 10_000)).toBeNull(); // not re-entrant: a holder renews instead
      expect(await store.isCurrent(a!)).toBe(true);
      expect(await store.renew(a!, 10_000)).toBe(true);
    }, 10_000);

    it('of many concurrent acquirers exactly one wins', async () => {
      const n = lease('race');
      const grants = await Promise.all(Array.from({ length: 20 }, (_, i) => store.acquire(n, `p${i}`, 10_000)));
      expect(grants.filter((g) => g !== null)).toHaveLength(1);
    }, 10_000);

    it('passes on after expiry with a larger fencing token; the old grant can no longer renew, pass the fence or release', async () => {
      const n = lease('expiry');
      const a = (await store.acquire(n, 'a', 150))!;
      await sleep(300);
      const b = await store.acquire(n, 'b', 10_000);
      expect(b).not.toBeNull();
      expect(b!.token).toBeGreaterThan(a.token);
      expect(await store.renew(a, 10_000)).toBe(false);
      expect(await store.isCurrent(a)).toBe(false);
      await store.release(a);
      expect(await store.isCurrent(b!)).toBe(true);
      expect(await store.acquire(n, 'c', 10_000)).toBeNull();
    }, 10_000);

    it('a release frees the lease at once, and tokens keep growing over holders', async () => {
      const n = lease('release');
      const tokens: number[] = [];
      for (const holder of ['a', 'b', 'c']) {
        const g = (await store.acquire(n, holder, 10_000))!;
        tokens.push(g.token);
        await store.release(g);
        expect(await store.isCurrent(g)).toBe(false);
      }
      expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
      expect(new Set(tokens).size).toBe(3);
    }, 10_000);

    it('renewal keeps a lease past its first TTL', async () => {
      const n = lease('renew');
      const a = (await store.acquire(n, 'a', 200))!;
      for (let i = 0; i < 4; i += 1) {
        await sleep(80);
        expect(await store.renew(a, 200)).toBe(true);
      }
      expect(await store.acquire(n, 'b', 200)).toBeNull();
    }, 10_000);

    it('keepers: exactly one of three holds; when it stops renewing (a dead process) another takes over within TTL + renew period', async () => {
      const n = lease('keepers');
      const ttlMs = 300;
      const keepers = ['k1', 'k2', 'k3'].map((holder) => createLeaseKeeper({ store, names: [n], log: silentLogger(), ttlMs, renewEveryMs: 100, holder }));
      try {
        for (const k of keepers) await k.tick();
        const holding = keepers.filter((k) => k.holds(n));
        expect(holding).toHaveLength(1);
        expect(await holding[0]!.confirm(n)).toBe(true);
        const dead = holding[0]!;
        const others = keepers.filter((k) => k !== dead);
        // The others keep trying; the dead one never renews again.
        const deadline = performance.now() + ttlMs + 100 + 1_000; // bound + a generous allowance for a busy machine
        let taker: (typeof keepers)[number] | undefined;
        while (taker === undefined && performance.now() < deadline) {
          await sleep(100);
          for (const k of others) await k.tick();
          taker = others.find((k) => k.holds(n));
        }
        expect(taker).toBeDefined();
        expect(others.filter((k) => k.holds(n))).toHaveLength(1);
        expect(taker!.token(n)!).toBeGreaterThan(0);
        // The dead holder's own clock has run out, and the fence refuses it.
        expect(dead.holds(n)).toBe(false);
        expect(await dead.confirm(n)).toBe(false);
        // A clean stop hands over at once.
        await taker!.close();
        const last = others.find((k) => k !== taker)!;
        await last.tick();
        expect(last.holds(n)).toBe(true);
      } finally {
        await Promise.all(keepers.map((k) => k.close()));
      }
    }, 15_000);
  });
}
