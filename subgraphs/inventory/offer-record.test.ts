/**
 * A poll pass keeps the supplier's answers as last known offers: one cache write per supplier batch (never one per
 * item), the offer loader's key and shape, a SKU the supplier did not list recorded as not listed, and after the
 * batch's stock writes — which drop the fresh entry of a row a newer figure changed, so the last known cost prices.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createMemoryCache } from '../../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import { newProduct } from '../../test/contract/catalog-store.contract.ts';
import { LAST_KNOWN_OFFER_TTL_MS, lastKnownOfferKey, offerCacheKey } from '../offer-cache-key.ts';
import { OFFERS_CACHED_TOPIC, withOffersCachedEvents, type OffersCachedEvent } from '../../stack/listing-events.ts';
import { createOfferRecorder } from './offer-record.ts';
import { createPoller } from './poller.ts';
import { createStockUpdater } from './stock-updater.ts';
import { createInventorySyncMetrics } from './sync-metrics.ts';

describe('a poll pass records the supplier answers as last known offers', () => {
  it('one read and at most two writes per batch with the loader\'s key, shape and TTL; unlisted as not listed; only price changes announced', async () => {
    const log = silentLogger();
    const catalog = createMemoryCatalogStore();
    for (let i = 0; i < 7; i += 1) await catalog.insert(newProduct(`DS-${i}`, { suppliers: [{ supplier: 'acme', supplierSku: `A-${i}` }] }));
    const memory = createMemoryCache();
    const writes: { keys: string[]; ttlMs: number; freshA0: string | null }[] = [];
    const cache: Cache = {
      ...memory,
      getMany: (keys) => memory.getMany(keys),
      delete: (keys) => memory.delete(keys),
      async setMany(entries, ttlMs) {
        // What the fresh entry of A-0 is at the moment of the write: already dropped by the stock update path.
        writes.push({ keys: entries.map(([k]) => k), ttlMs, freshA0: (await memory.getMany([offerCacheKey('acme', 'A-0')]))[0] ?? null });
        return memory.setMany(entries, ttlMs);
      },
    };
    // A product page cached A-0 live earlier (its fresh entry, with the old cost).
    await memory.setMany([[offerCacheKey('acme', 'A-0'), JSON.stringify({ found: true, stock: { supplierSku: 'A-0', cost: { amount: '1.00', currency: 'USD' } } })]], 60_000);
    const events = createMemoryEventBus({ log });
    const announced: string[][] = [];
    await events.subscribe(OFFERS_CACHED_TOPIC, (e) => void announced.push((e as OffersCachedEvent).offers.map((o) => o.supplierSku)));
    const updater = createStockUpdater({ stock: createMemoryStockStore(), cache: memory, events, log });
    let asOf = new Date().toISOString();
    const costs = new Map<string, string>();
    const connector = {
      supplier: 'acme',
      maxStockBatch: 3,
      // A-5 is no longer listed.
      getStock: async (skus: readonly string[]) => skus.filter((s) => s !== 'A-5').map((supplierSku) => ({ supplierSku, available: 4, status: 'IN_STOCK', cost: { amount: costs.get(supplierSku) ?? '2.50', currency: 'USD' }, leadTimeDays: 2, asOf })),
    } as unknown as SupplierConnector;
    const poller = createPoller({
      connectors: () => [connector],
      catalog,
      updater,
      offers: createOfferRecorder({ cache, announcing: withOffersCachedEvents(cache, events, log), log }),
      metrics: createInventorySyncMetrics(new Registry()),
      log,
      intervalMsFor: () => 0,
    });
    const summary = await poller.pollNow('acme');
    expect(summary).toMatchObject({ requested: 7, missing: 1, error: null });
    // 7 SKUs in batches of 3, all new: three writes, each the whole batch, at the loader's last-known TTL; never the fresh key.
    expect(writes.map((w) => w.keys.length).sort()).toEqual([1, 3, 3]); // batches run concurrently
    expect(writes.every((w) => w.ttlMs === LAST_KNOWN_OFFER_TTL_MS && w.keys.every((k) => k.startsWith('offer-last:acme:')))).toBe(true);
    expect(writes.flatMap((w) => w.keys).sort()).toEqual(Array.from({ length: 7 }, (_, i) => lastKnownOfferKey('acme', `A-${i}`)).sort());
    expect(writes.find((w) => w.keys.includes(lastKnownOfferKey('acme', 'A-0')))!.freshA0).toBeNull();
    const [a1, a5] = await memory.getMany([lastKnownOfferKey('acme', 'A-1'), lastKnownOfferKey('acme', 'A-5')]);
    expect(JSON.parse(a1!)).toEqual({ found: true, stock: { supplierSku: 'A-1', available: 4, status: 'IN_STOCK', cost: { amount: '2.50', currency: 'USD' }, leadTimeDays: 2, asOf } });
    expect(JSON.parse(a5!)).toEqual({ found: false });
    await new Promise((r) => setImmediate(r));
    expect(announced.flat().sort()).toEqual(Array.from({ length: 7 }, (_, i) => `A-${i}`)); // all new: every one announced

    // The next pass, nothing changed but the supplier's timestamp: the TTLs are renewed quietly, nothing is announced.
    writes.length = 0;
    announced.length = 0;
    asOf = new Date(Date.now() + 1_000).toISOString();
    await poller.pollNow('acme');
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => w.keys.length).sort()).toEqual([1, 3, 3]);
    expect(announced).toEqual([]);

    // A cost moved: that offer alone is announced (its product re-prices), in its batch's one announced write.
    writes.length = 0;
    costs.set('A-4', '3.10');
    await poller.pollNow('acme');
    await poller.stop();
    await new Promise((r) => setImmediate(r));
    expect(announced).toEqual([['A-4']]);
    expect(writes.length).toBe(4); // three quiet batch writes, one announced
    expect(JSON.parse((await memory.getMany([lastKnownOfferKey('acme', 'A-4')]))[0]!).stock.cost).toEqual({ amount: '3.10', currency: 'USD' });
  });

  it('a cache outage costs the recording, never the poll', async () => {
    const log = silentLogger();
    const down = async () => Promise.reject(new Error('redis down'));
    const recorder = createOfferRecorder({ cache: { getMany: down, setMany: down }, announcing: { setMany: down }, log });
    await expect(recorder.record('acme', ['A-1'], [])).resolves.toBeUndefined();
  });
});
