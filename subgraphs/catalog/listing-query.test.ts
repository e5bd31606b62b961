import { describe, expect, it } from 'vitest';
import { createMemoryListingStore } from '../../adapters/storage/memory/listing-store.ts';
import type { ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { StockRecord } from '../../platform/ports/stock-store.ts';
import { listingDocOf } from './listing-doc.ts';
import { decodeCursor, encodeCursor, runListing } from './listing-query.ts';

const product = (sku: string, title: string, brand: string, o: Partial<ProductRecord> = {}): ProductRecord => ({
  sku, title, brand, gtin: null, manufacturer: brand, mpn: null, description: null, suppliers: [{ supplier: 'brightline', supplierSku: `BL-${sku}` }],
  familyId: null, options: [], images: [], categories: ['Tees'], createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', ...o,
});
const row = (sku: string, available: number): StockRecord => ({ sku, supplier: 'brightline', supplierSku: `BL-${sku}`, onHand: available, reserved: 0, committed: 0, buffer: 0, available, supplierAsOf: '2026-12-01T00:00:00.000Z', receivedAt: '2026-12-01T00:00:00.000Z', version: 1 });
const usd = (amount: string) => ({ amount: { amount, currency: 'USD' }, supplier: 'brightline' });

async function seeded() {
  const store = createMemoryListingStore();
  const at = '2026-12-02T00:00:00.000Z';
  await store.upsert([
    listingDocOf(product('P1', 'Navy Tee', 'Acme', { mpn: 'AC-77' }), [row('P1', 3)], usd('12.99'), at),
    listingDocOf(product('P2', 'Navy Polo', 'Acme'), [row('P2', 0)], usd('24.99'), at),
    listingDocOf(product('P3', 'Navy Tee Long', 'Other', { categories: ['Tees', 'Long sleeve'] }), [row('P3', 9)], usd('12.99'), at),
    listingDocOf(product('P4', 'Red Tee', 'Acme'), [row('P4', 1)], null, at),
    listingDocOf(product('P5', 'Navy Tee Kids', 'acme '), [row('P5', 2)], usd('9.50'), at),
  ]);
  return store;
}

describe('listing query', () => {
  it('text + brand + in stock + price sort: matches, order, counts and facets', async () => {
    const r = await runListing(await seeded(), { query: 'nav tee', filter: { brands: ['ACME'], inStock: true }, sort: 'PRICE_ASC' }, 'USD');
    expect(r.items.map((i) => i.doc.sku)).toEqual(['P5', 'P1']);
    expect(r.totalCount).toBe(2);
    expect(r.facets.brands).toEqual([{ value: 'Acme', count: 2 }]);
    expect(r.facets.inStock).toBe(2);
    expect(r.facets.priceRanges[0]).toEqual({ min: '0.00', max: '25.00', count: 2 });
  });

  it('relevance ranks an exact MPN first; pages of 1 walk every match once', async () => {
    const store = await seeded();
    const r = await runListing(store, { query: 'AC-77' }, 'USD');
    expect(r.items[0]!.doc.sku).toBe('P1');
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page: Awaited<ReturnType<typeof runListing>> = await runListing(store, { query: 'navy', first: 1, after }, 'USD');
      seen.push(...page.items.map((x) => x.doc.sku));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen.sort()).toEqual(['P1', 'P2', 'P3', 'P5']);
  });

  it('price sort pages over ties (P1 and P3 at 12.99) neither skip nor repeat; unpriced last', async () => {
    const store = await seeded();
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof runListing>> = await runListing(store, { sort: 'PRICE_ASC', first: 2, after }, 'USD');
      seen.push(...page.items.map((x) => x.doc.sku));
      after = page.hasNextPage ? page.endCursor : null;
    } while (after !== null);
    expect(seen).toEqual(['P5', 'P1', 'P3', 'P2', 'P4']);
  });

  it('price range in store currency, supplier limits of a partner, and refusals', async () => {
    const store = await seeded();
    expect((await runListing(store, { filter: { minPrice: '10', maxPrice: '12.99' }, sort: 'PRICE_ASC' }, 'USD')).items.map((i) => i.doc.sku)).toEqual(['P1', 'P3']);
    expect((await runListing(store, {}, 'USD', ['maplecart'])).totalCount).toBe(0);
    await expect(runListing(store, { first: 101 }, 'USD')).rejects.toThrow(/first/);
    await expect(runListing(store, { sort: 'NEWEST', after: encodeCursor('PRICE_ASC', { key: 1, sku: 'P1' }) }, 'USD')).rejects.toThrow(/cursor/);
    await expect(runListing(store, { filter: { minPrice: 'x' } }, 'USD')).rejects.toThrow(/decimal/);
    expect(() => decodeCursor('garbage', 'NEWEST')).toThrow(/cursor/);
  });
});
