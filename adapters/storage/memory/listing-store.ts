import { sortKeyOf, type ListingDoc, type ListingFilter, type ListingKeys, type ListingStore } from '../../../platform/ports/listing-store.ts';

/** Whether a document matches a filter: the MongoDB store's query, said in code (the contract suite holds both to it). */
export function matchesListing(doc: ListingDoc, f: ListingFilter): boolean {
  if (f.terms && f.terms.length > 0 && !f.terms.every((t) => doc.terms.includes(t))) return false;
  if (f.brandKeys && (doc.brandKey === null || !f.brandKeys.includes(doc.brandKey))) return false;
  if (f.categoryKeys && !doc.categoryKeys.some((c) => f.categoryKeys!.includes(c))) return false;
  if (f.suppliers && !doc.suppliers.some((s) => f.suppliers!.includes(s))) return false;
  if (f.inStock !== undefined && doc.inStock !== f.inStock) return false;
  if (f.minPriceMinor !== undefined && (doc.priceMinor === null || doc.priceMinor < f.minPriceMinor)) return false;
  if (f.maxPriceMinor !== undefined && (doc.priceMinor === null || doc.priceMinor > f.maxPriceMinor)) return false;
  return true;
}

const keysOf = (d: ListingDoc): ListingKeys => ({
  sku: d.sku,
  brand: d.brand,
  brandKey: d.brandKey,
  categories: [...d.categories],
  suppliers: [...d.suppliers],
  inStock: d.inStock,
  priceMinor: d.priceMinor,
  words: [...d.words],
  ids: [...d.ids],
  available: d.available,
  createdAt: d.createdAt,
});

const copy = (d: ListingDoc): ListingDoc => structuredClone(d);

/** The embedded ListingStore: a map scanned per query (embedded catalogs are small). Lost on exit. */
export function createMemoryListingStore(): ListingStore {
  const docs = new Map<string, ListingDoc>();
  const matching = (f: ListingFilter) => [...docs.values()].filter((d) => matchesListing(d, f));
  return {
    async upsert(list) {
      for (const d of list) docs.set(d.sku, copy(d));
    },
    async remove(skus) {
      for (const s of skus) docs.delete(s);
    },
    async getBySkus(skus) {
      return skus.map((s) => {
        const d = docs.get(s);
        return d === undefined ? null : copy(d);
      });
    },
    async page(filter, sort, after, limit) {
      const keyed = matching(filter).map((d) => ({ d, k: sortKeyOf(d, sort) }));
      keyed.sort((a, b) => a.k - b.k || (a.d.sku < b.d.sku ? -1 : a.d.sku > b.d.sku ? 1 : 0));
      const rest = after === null ? keyed : keyed.filter(({ d, k }) => k > after.key || (k === after.key && d.sku > after.sku));
      return rest.slice(0, limit).map(({ d }) => copy(d));
    },
    async scan(filter, limit) {
      return matching(filter).slice(0, limit).map(keysOf);
    },
    async count(filter) {
      return matching(filter).length;
    },
    async skus() {
      return [...docs.keys()].sort();
    },
    async clear() {
      docs.clear();
    },
  };
}
