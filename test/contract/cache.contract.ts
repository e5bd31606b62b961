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

    it('refuses a TTL that is not a positive integer', async () => {
      const [a] = keys('a');
      await expectRegistryCode(() => cache.setMany([[a!, 'x']], 0), 'INVALID_INPUT');
      await expectRegistryCode(() => cache.setMany([[a!, 'x']], 1.5), 'INVALID_INPUT');
      expect(await cache.getMany([a!])).toEqual([null]);
    });
  });
}
