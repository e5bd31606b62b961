/** One contract for every Cache (in-memory LRU, Redis). TTLs are real: a few hundred milliseconds of waiting. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../platform/ports/cache.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type CacheFactory = () => Promise<Cache>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
/** Fresh keys per test, so the suite needs no flush (a shared Redis may hold other keys). */
const keys = (...names: string[]): string[] => {
  counter += 1;
  return names.map((n) => `t${counter}:${n}`);
};

export function describeCacheContract(name: string, make: CacheFactory): void {
  describe(`Cache contract: ${name}`, () => {
    let cache: Cache;

    beforeAll(async () => {
      cache = await make();
    });

    afterAll(async () => {
      await cache?.close();
    });

    it('answers misses with null, in the order asked', async () => {
      const [a, b] = keys('a', 'b');
      expect(await cache.getMany([a!, b!])).toEqual([null, null]);
      expect(await cache.getMany([])).toEqual([]);
    });

    it('sets many and gets them back, repeats and misses in place', async () => {
      const [a, b, c] = keys('a', 'b', 'c');
      await cache.setMany([[a!, '1'], [b!, 'two words ✓']], 60_000);
      expect(await cache.getMany([b!, c!, a!, b!])).toEqual(['two words ✓', null, '1', 'two words ✓']);
      await cache.setMany([], 60_000);
    });

    it('overwrites and deletes', async () => {
      const [a, b] = keys('a', 'b');
      await cache.setMany([[a!, 'old'], [b!, 'keep']], 60_000);
      await cache.setMany([[a!, 'new']], 60_000);
      expect(await cache.getMany([a!])).toEqual(['new']);
      await cache.delete([a!, 'never-set']);
      await cache.delete([]);
      expect(await cache.getMany([a!, b!])).toEqual([null, 'keep']);
    });

    it('expires entries after their TTL', async () => {
      const [short, long] = keys('short', 'long');
      await cache.setMany([[short!, 's']], 150);
      await cache.setMany([[long!, 'l']], 60_000);
      expect(await cache.getMany([short!])).toEqual(['s']);
      await sleep(400);
      expect(await cache.getMany([short!, long!])).toEqual([null, 'l']);
    });

    describe('setManyIfNewer: a value observed later is never replaced by one observed earlier', () => {
      const at = (order: number, what: string): string => JSON.stringify({ what, observedAt: order });
      const what = async (key: string): Promise<string | null> => {
        const [raw] = await cache.getMany([key]);
        return raw === null || raw === undefined ? null : (JSON.parse(raw) as { what: string }).what;
      };

      it('writes over nothing, an older order, an equal order; keeps a newer one and its value — per entry, in one call', async () => {
        const [empty, older, equal, newer] = keys('empty', 'older', 'equal', 'newer');
        await cache.setMany([[older!, at(100, 'old')], [equal!, at(200, 'first')], [newer!, at(300, 'newest')]], 60_000);
        const written = await cache.setManyIfNewer(
          [[empty!, at(200, 'a'), 200], [older!, at(200, 'b'), 200], [equal!, at(200, 'c'), 200], [newer!, at(200, 'd'), 200]],
          'observedAt',
          60_000,
        );
        expect(written).toEqual([true, true, true, false]);
        expect(await Promise.all([empty!, older!, equal!, newer!].map(what))).toEqual(['a', 'b', 'c', 'newest']);
        expect(await cache.setManyIfNewer([], 'observedAt', 60_000)).toEqual([]);
      });

      it('compares epoch milliseconds exactly, whichever write arrives last', async () => {
        const [k] = keys('ms');
        const t = 1_764_806_400_123; // 2025-12-04, a millisecond apart below
        expect(await cache.setManyIfNewer([[k!, at(t + 1, 'live'), t + 1]], 'observedAt', 60_000)).toEqual([true]);
        expect(await cache.setManyIfNewer([[k!, at(t, 'poll'), t]], 'observedAt', 60_000)).toEqual([false]);
        expect(await what(k!)).toBe('live');
        expect(await cache.setManyIfNewer([[k!, at(t + 2, 'next'), t + 2]], 'observedAt', 60_000)).toEqual([true]);
        expect(await what(k!)).toBe('next');
      });

      it('a stored value without the field, not JSON, or expired counts as the oldest', async () => {
        const [plain, text, gone] = keys('plain', 'text', 'gone');
        await cache.setMany([[plain!, JSON.stringify({ what: 'no order' })], [text!, 'not json']], 60_000);
        await cache.setMany([[gone!, at(900, 'expired')]], 100);
        await sleep(300);
        expect(await cache.setManyIfNewer([[plain!, at(1, 'p'), 1], [text!, at(1, 't'), 1], [gone!, at(1, 'g'), 1]], 'observedAt', 60_000)).toEqual([true, true, true]);
        expect(await Promise.all([plain!, text!, gone!].map(what))).toEqual(['p', 't', 'g']);
      });

      it('entries of one call apply in their order; a refused entry keeps its TTL; the TTL applies to what is written', async () => {
        const [k, kept] = keys('k', 'kept');
        expect(await cache.setManyIfNewer([[k!, at(5, 'five'), 5], [k!, at(4, 'four'), 4]], 'observedAt', 60_000)).toEqual([true, false]);
        expect(await what(k!)).toBe('five');
        await cache.setMany([[kept!, at(9, 'short-lived')]], 200);
        expect(await cache.setManyIfNewer([[kept!, at(1, 'older'), 1]], 'observedAt', 60_000)).toEqual([false]);
        await sleep(400);
        expect(await cache.getMany([kept!])).toEqual([null]);
      });

      it('refuses an order that is not a finite number, and a bad TTL, writing nothing', async () => {
        const [k] = keys('k');
        await expectRegistryCode(() => cache.setManyIfNewer([[k!, at(1, 'x'), Number.NaN]], 'observedAt', 60_000), 'INVALID_INPUT');
        await expectRegistryCode(() => cache.setManyIfNewer([[k!, at(1, 'x'), 1]], 'observedAt', 0), 'INVALID_INPUT');
        expect(await cache.getMany([k!])).toEqual([null]);
      });
    });

    it('refuses a TTL that is not a positive integer', async () => {
      const [a] = keys('a');
      await expectRegistryCode(() => cache.setMany([[a!, 'x']], 0), 'INVALID_INPUT');
      await expectRegistryCode(() => cache.setMany([[a!, 'x']], 1.5), 'INVALID_INPUT');
      expect(await cache.getMany([a!])).toEqual([null]);
    });
  });
}
