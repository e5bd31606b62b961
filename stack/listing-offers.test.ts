// Regression: the listing's offers.cached handler read the catalog once per cached offer (skuBySupplierSku), so a
// poll pass of 1,000 offers was 1,000 store reads; a burst is now one batched read.
import { describe, expect, it, vi } from 'vitest';
import { createMemoryCache } from '../adapters/cache/memory-cache.ts';
import { createMemoryEventBus } from '../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../adapters/storage/memory/catalog-store.ts';
import { silentLogger } from '../platform/logger.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import { lastKnownOfferKey } from '../subgraphs/offer-cache-key.ts';
import { newProduct } from '../test/contract/catalog-store.contract.ts';
import { withOffersCachedEvents } from './listing-events.ts';
import { subscribeListing } from './listing.ts';

const answer = JSON.stringify({ found: true, stock: { supplierSku: 'x', available: 1, cost: { amount: '1.00', currency: 'USD' }, leadTimeDays: 1, asOf: '2026-12-01T00:00:00.000Z' } });

async function setup(gate?: () => Promise<void>) {
  const log = silentLogger();
  const events = createMemoryEventBus({ log });
  const store = createMemoryCatalogStore();
  for (let i = 0; i < 30; i += 1) await store.insert(newProduct(`P-${i}`, { suppliers: [{ supplier: 'brightline', supplierSku: `B-${i}` }, { supplier: 'maplecart', supplierSku: `M-${i}` }] }));
  const calls = { batched: [] as number[], single: 0 };
  // The store's reads counted; `gate` holds a batched read open (a read in flight while more offers arrive).
  const catalog: Pick<CatalogStore, 'skusBySupplierSkus' | 'variantsOfFamilies' | 'skuBySupplierSku'> = {
    variantsOfFamilies: (ids, limit) => store.variantsOfFamilies(ids, limit),
    skuBySupplierSku: async (supplier, supplierSku) => {
      calls.single += 1;
      return store.skuBySupplierSku(supplier, supplierSku);
    },
    skusBySupplierSkus: async (refs) => {
      calls.batched.push(refs.length);
      await gate?.();
      return store.skusBySupplierSkus(refs);
    },
  };
  const refreshed: string[][] = [];
  const indexer = { refresh: (skus: readonly string[]) => void refreshed.push([...skus]), refreshAll: () => {} };
  const stops = await subscribeListing(events, indexer, catalog, log);
  // What a supplier subgraph or the sync writes: the production publisher of offers.cached.
  const cache = withOffersCachedEvents(createMemoryCache(), events, log);
  const cacheOffers = (supplier: string, from: number, to: number) =>
    cache.setMany(Array.from({ length: to - from }, (_, n) => [lastKnownOfferKey(supplier, `${supplier === 'brightline' ? 'B' : 'M'}-${from + n}`), answer] as const), 60_000);
  const stop = async () => {
    for (const s of stops) await s();
  };
  return { calls, refreshed, cacheOffers, stop };
}

describe('offers.cached → listing refresh', () => {
  it('one batched catalog read for a burst of events, never one read per offer', { timeout: 10_000 }, async () => {
    const { calls, refreshed, cacheOffers, stop } = await setup();
    // Twelve batches cached at once (a poll pass's batches, both suppliers), 60 offers, 30 products.
    await Promise.all([
      ...Array.from({ length: 6 }, (_, b) => cacheOffers('brightline', b * 5, b * 5 + 5)),
      ...Array.from({ length: 6 }, (_, b) => cacheOffers('maplecart', b * 5, b * 5 + 5)),
    ]);
    await vi.waitFor(() => expect(refreshed).toHaveLength(1), { timeout: 5_000 });
    expect(calls.batched).toEqual([60]);
    expect(calls.single).toBe(0);
    expect([...refreshed[0]!].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `P-${i}`).sort());
    await stop();
  });

  it('offers cached while a read is in flight share the next read (two reads for three bursts)', { timeout: 10_000 }, async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    const { calls, refreshed, cacheOffers, stop } = await setup(async () => {
      if (first) {
        first = false;
        await held;
      }
    });
    await cacheOffers('brightline', 0, 10);
    await vi.waitFor(() => expect(calls.batched).toEqual([10]), { timeout: 5_000 });
    await cacheOffers('brightline', 10, 20);
    await cacheOffers('maplecart', 0, 10); // P-0..P-9 again, by another supplier's offers
    release();
    await vi.waitFor(() => expect(refreshed).toHaveLength(2), { timeout: 5_000 });
    expect(calls.batched).toEqual([10, 20]);
    expect(calls.single).toBe(0);
    expect([...refreshed[1]!].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `P-${i}`).sort());
    await stop();
  });
});
