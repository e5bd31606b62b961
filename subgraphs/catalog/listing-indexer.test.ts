import { describe, expect, it } from 'vitest';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMemoryListingStore } from '../../adapters/storage/memory/listing-store.ts';
import { createMemoryStockStore } from '../../adapters/storage/memory/stock-store.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { ListingStore } from '../../platform/ports/listing-store.ts';
import { createListingIndexer } from './listing-indexer.ts';

const newProduct = (sku: string) => ({ sku, title: `Tee ${sku}`, brand: 'Acme', gtin: null, manufacturer: null, mpn: null, description: null, suppliers: [{ supplier: 'brightline', supplierSku: `BL-${sku}` }] });

describe('listing indexer', () => {
  it('coalesces refreshes into batched reads, builds from catalog, stock and prices, and drops what the catalog lost', async () => {
    const catalog = createMemoryCatalogStore();
    const stock = createMemoryStockStore();
    const listing = createMemoryListingStore();
    await catalog.insert(newProduct('A'));
    await catalog.insert(newProduct('B'));
    await stock.applyReport({ sku: 'A', supplier: 'brightline', supplierSku: 'BL-A', onHand: 4, supplierAsOf: '2026-12-01T00:00:00.000Z' }, 0);
    const asked: string[][] = [];
    const indexer = createListingIndexer({
      catalog, stock, listing, log: silentLogger(), batchWindowMs: 5,
      prices: async (skus) => (asked.push([...skus]), skus.map((s) => (s === 'A' ? { amount: { amount: '19.99', currency: 'USD' }, supplier: 'brightline' } : null))),
    });
    indexer.refresh(['A']);
    indexer.refresh(['B', 'A']);
    await indexer.settled();
    expect(asked).toEqual([['A', 'B']]);
    const [a, b] = await listing.getBySkus(['A', 'B']);
    expect(a).toMatchObject({ sku: 'A', inStock: true, available: 4, price: '19.99', currency: 'USD', priceMinor: 1999, priceSupplier: 'brightline', brandKey: 'acme' });
    expect(b).toMatchObject({ sku: 'B', inStock: false, available: 0, price: null, priceMinor: null });
    await catalog.clear();
    await catalog.insert(newProduct('B'));
    indexer.refreshAll();
    await indexer.settled();
    expect(await listing.skus()).toEqual(['B']);
    await indexer.close();
  });

  it('a failed write is tried again, not lost', async () => {
    const catalog = createMemoryCatalogStore();
    await catalog.insert(newProduct('A'));
    const inner = createMemoryListingStore();
    let failures = 1;
    const listing: ListingStore = { ...inner, upsert: async (docs) => (failures-- > 0 ? Promise.reject(new Error('store down')) : inner.upsert(docs)) };
    const indexer = createListingIndexer({ catalog, stock: createMemoryStockStore(), listing, log: silentLogger(), batchWindowMs: 1, retryMs: 10, prices: async (skus) => skus.map(() => null) });
    indexer.refresh(['A']);
    await indexer.settled();
    expect(await inner.skus()).toEqual(['A']);
    await indexer.close();
  });
});
