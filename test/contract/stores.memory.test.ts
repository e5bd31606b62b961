/** Every storage contract against the embedded (in-memory) implementations, plus what only they promise. */
import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMemoryOrderStore } from '../../adapters/storage/memory/order-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { openStores } from '../../adapters/storage/open-stores.ts';
import { silentLogger } from '../../platform/logger.ts';
import { describeCacheContract } from './cache.contract.ts';
import { describeCatalogStoreContract } from './catalog-store.contract.ts';
import { describeEventBusContract } from './event-bus.contract.ts';
import { describeOrderStoreContract } from './order-store.contract.ts';
import { describeStockStoreContract } from './stock-store.contract.ts';

describeCatalogStoreContract('memory', async () => createMemoryCatalogStore());
describeStockStoreContract('memory', async () => createMemoryStockStore());
describeOrderStoreContract('memory', async () => createMemoryOrderStore());
describeCacheContract('memory', async () => createMemoryCache());
describeEventBusContract('memory', async () => createMemoryEventBus({ log: silentLogger() }));

describe('memory cache: LRU bound', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 3 });
    await cache.setMany([['a', '1'], ['b', '2'], ['c', '3']], 60_000);
    await cache.getMany(['a']); // a is now the most recently used; b the least
    await cache.setMany([['d', '4']], 60_000);
    expect(await cache.getMany(['a', 'b', 'c', 'd'])).toEqual(['1', null, '3', '4']);
    await cache.close();
  });

  it('expires by the injected clock', async () => {
    let now = 1_000;
    const cache = createMemoryCache({ now: () => now });
    await cache.setMany([['k', 'v']], 100);
    now += 99;
    expect(await cache.getMany(['k'])).toEqual(['v']);
    now += 1;
    expect(await cache.getMany(['k'])).toEqual([null]);
  });
});

describe('openStores without URLs', () => {
  it('opens the embedded implementations and says so', async () => {
    const stores = await openStores({}, silentLogger());
    expect(stores.mode).toEqual({ documents: 'memory', cache: 'memory' });
    expect((await stores.catalog.insert({
      sku: 'A', title: 'A', brand: null, gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [],
    })).inserted).toBe(true);
    expect(await stores.catalog.count()).toBe(1);
    await stores.close();
  });
});
