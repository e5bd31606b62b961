/**
 * One contract for every ListingStore (docs/storefront.md "Listing"): documents replaced whole by SKU; filters on
 * terms (all), brand, category, supplier (any), stock and a price range that never matches an unpriced product;
 * each sort ascending on its key with SKU breaking ties, so keyset pages neither skip nor repeat a row under ties;
 * unpriced products last in both price orders; scans carry the facet and ranking fields.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sortKeyOf, type ListingDoc, type ListingSortKey, type ListingStore } from '../../platform/ports/listing-store.ts';

export function listingDoc(sku: string, o: Partial<ListingDoc> = {}): ListingDoc {
  const brand = o.brand === undefined ? 'Acme' : o.brand;
  const categories = o.categories ?? ['Shirts'];
  return {
    sku,
    title: `Item ${sku}`,
    brand,
    brandKey: brand === null ? null : brand.toLowerCase(),
    mpn: null,
    gtin: null,
    familyId: null,
    categories,
    categoryKeys: categories.map((c) => c.toLowerCase()),
    suppliers: ['brightline'],
    terms: ['item', 'it', 'ite'],
    words: ['item'],
    ids: [],
    available: 5,
    inStock: (o.available ?? 5) > 0,
    price: null,
    currency: null,
    priceMinor: null,
    priceSupplier: null,
    createdAt: '2026-12-01T00:00:00.000Z',
    indexedAt: '2026-12-01T00:00:00.000Z',
    ...o,
  };
}

const priced = (cents: number): Partial<ListingDoc> => ({ price: (cents / 100).toFixed(2), currency: 'USD', priceMinor: cents, priceSupplier: 'brightline' });

async function allPages(store: ListingStore, sort: ListingSortKey, size: number): Promise<string[]> {
  const seen: string[] = [];
  let after: { key: number; sku: string } | null = null;
  for (let i = 0; i < 100; i += 1) {
    const page = await store.page({}, sort, after, size);
    seen.push(...page.map((d) => d.sku));
    if (page.length < size) break;
    const last = page[page.length - 1]!;
    after = { key: sortKeyOf(last, sort), sku: last.sku };
  }
  return seen;
}

export function describeListingStoreContract(name: string, make: () => Promise<ListingStore>): void {
  describe(`ListingStore contract: ${name}`, () => {
    let store: ListingStore;
    beforeEach(async () => {
      store = await make();
      await store.clear();
    });

    it('replaces a document whole by SKU and reads it back as written', async () => {
      await store.upsert([listingDoc('A', { ...priced(1299), terms: ['navy', 'na', 'nav'], ids: ['ab123'] })]);
      await store.upsert([listingDoc('A', { title: 'Renamed', brand: null, brandKey: null, available: 0, inStock: false })]);
      const [a, missing] = await store.getBySkus(['A', 'Z']);
      expect(missing).toBeNull();
      expect(a).toEqual(listingDoc('A', { title: 'Renamed', brand: null, brandKey: null, available: 0, inStock: false }));
      expect(await store.skus()).toEqual(['A']);
      await store.remove(['A']);
      expect(await store.getBySkus(['A'])).toEqual([null]);
    });

    it('filters: every term, any brand/category/supplier, stock, and a price range that excludes unpriced products', async () => {
      await store.upsert([
        listingDoc('A', { ...priced(1000), terms: ['navy', 'tee'], brand: 'Acme', brandKey: 'acme', suppliers: ['brightline'] }),
        listingDoc('B', { ...priced(2000), terms: ['navy', 'polo'], brand: 'Other', brandKey: 'other', suppliers: ['maplecart', 'harborpromo'], categories: ['Polos'], categoryKeys: ['polos'] }),
        listingDoc('C', { terms: ['navy', 'tee'], available: 0, inStock: false, suppliers: ['harborpromo'] }),
      ]);
      const skus = async (f: Parameters<ListingStore['count']>[0]) => (await store.page(f, 'priceAsc', null, 50)).map((d) => d.sku);
      expect(await skus({ terms: ['navy', 'tee'] })).toEqual(['A', 'C']);
      expect(await skus({ terms: ['navy', 'shirt'] })).toEqual([]);
      expect(await skus({ brandKeys: ['other', 'nobody'] })).toEqual(['B']);
      expect(await skus({ categoryKeys: ['polos'] })).toEqual(['B']);
      expect(await skus({ suppliers: ['harborpromo'] })).toEqual(['B', 'C']);
      expect(await skus({ inStock: true })).toEqual(['A', 'B']);
      expect(await skus({ minPriceMinor: 1000, maxPriceMinor: 1999 })).toEqual(['A']);
      expect(await skus({ maxPriceMinor: 100_000 })).toEqual(['A', 'B']);
      expect(await store.count({ terms: ['navy'], inStock: true })).toBe(2);
    });

    it('sorts by price both ways with unpriced last, by availability and by newest; SKU breaks ties', async () => {
      await store.upsert([
        listingDoc('D', { ...priced(500), available: 1, createdAt: '2026-12-03T00:00:00.000Z' }),
        listingDoc('B', { ...priced(900), available: 9, createdAt: '2026-12-01T00:00:00.000Z' }),
        listingDoc('A', { ...priced(500), available: 9, createdAt: '2026-12-02T00:00:00.000Z' }),
        listingDoc('C', { available: 0, inStock: false, createdAt: '2026-12-02T00:00:00.000Z' }),
      ]);
      const order = async (sort: ListingSortKey) => (await store.page({}, sort, null, 10)).map((d) => d.sku);
      expect(await order('priceAsc')).toEqual(['A', 'D', 'B', 'C']);
      expect(await order('priceDesc')).toEqual(['B', 'A', 'D', 'C']);
      expect(await order('availability')).toEqual(['A', 'B', 'D', 'C']);
      expect(await order('newest')).toEqual(['D', 'A', 'C', 'B']);
    });

    it('keyset pages over many ties neither skip nor repeat a row, in every sort', async () => {
      const docs = Array.from({ length: 23 }, (_, i) => listingDoc(`S${String(i).padStart(2, '0')}`, { ...(i % 4 === 0 ? {} : priced(100 * (i % 3))), available: i % 2 }));
      await store.upsert(docs);
      for (const sort of ['priceAsc', 'priceDesc', 'availability', 'newest'] as const) {
        const seen = await allPages(store, sort, 5);
        expect(seen).toHaveLength(23);
        expect(new Set(seen).size).toBe(23);
        expect(seen).toEqual((await store.page({}, sort, null, 50)).map((d) => d.sku));
      }
    });

    it('a page and a scan asked together (as a listing query asks) answer as each does alone, past the scan limit too', async () => {
      const docs = Array.from({ length: 12 }, (_, i) => listingDoc(`T${String(i).padStart(2, '0')}`, { ...(i % 3 === 0 ? {} : priced(100 * (i % 4))), terms: ['navy'], available: i % 2 }));
      await store.upsert([...docs, listingDoc('X', { ...priced(50), terms: ['other'] })]);
      const f = { terms: ['navy'] };
      for (const sort of ['priceAsc', 'priceDesc', 'availability', 'newest'] as const) {
        const order = await store.page(f, sort, null, 50);
        expect(order).toHaveLength(12);
        const at = (i: number) => ({ key: sortKeyOf(order[i]!, sort), sku: order[i]!.sku });
        // [after, page size, scan limit]: whole; a later page; a page the scan limit cuts short; one wholly past it.
        for (const [after, limit, cap] of [[null, 5, 50], [at(2), 4, 50], [at(2), 4, 5], [null, 5, 5], [at(9), 5, 5]] as const) {
          const [page, keys] = await Promise.all([store.page(f, sort, after, limit), store.scan(f, cap)]);
          expect(page).toEqual(await store.page(f, sort, after, limit));
          const start = after === null ? 0 : order.findIndex((d) => d.sku === after.sku) + 1;
          expect(page.map((d) => d.sku)).toEqual(order.slice(start, start + limit).map((d) => d.sku));
          expect(keys).toHaveLength(Math.min(cap, 12));
          expect(keys.every((k) => order.some((d) => d.sku === k.sku))).toBe(true);
          expect(new Set(keys.map((k) => k.sku)).size).toBe(keys.length);
          if (cap >= 12) expect([...keys].sort((x, y) => (x.sku < y.sku ? -1 : 1))).toEqual([...(await store.scan(f, cap))].sort((x, y) => (x.sku < y.sku ? -1 : 1)));
        }
      }
    });

    it('scans the facet and ranking fields of the matches, up to the limit', async () => {
      await store.upsert([
        listingDoc('A', { ...priced(1000), words: ['navy'], ids: ['ab1'], categories: ['Shirts', 'Tees'], categoryKeys: ['shirts', 'tees'], suppliers: ['brightline', 'maplecart'] }),
        listingDoc('B', { brand: null, brandKey: null }),
        listingDoc('C', { brand: 'Zed', brandKey: 'zed' }),
      ]);
      const keys = (await store.scan({ suppliers: ['brightline'] }, 10)).sort((x, y) => (x.sku < y.sku ? -1 : 1));
      expect(keys.map((k) => k.sku)).toEqual(['A', 'B', 'C']);
      expect(keys[0]).toEqual({ sku: 'A', brand: 'Acme', brandKey: 'acme', categories: ['Shirts', 'Tees'], suppliers: ['brightline', 'maplecart'], inStock: true, priceMinor: 1000, words: ['navy'], ids: ['ab1'], available: 5, createdAt: '2026-12-01T00:00:00.000Z' });
      expect(keys[1]!.brand).toBeNull();
      expect(await store.scan({}, 2)).toHaveLength(2);
    });
  });
}
