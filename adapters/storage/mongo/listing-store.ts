import type { Collection, Db, Filter, Sort } from 'mongodb';
import { sortKeyOf, type ListingDoc, type ListingFilter, type ListingKeys, type ListingSortKey, type ListingStore } from '../../../platform/ports/listing-store.ts';
import { storeCall } from './mongo-errors.ts';

export interface MongoListingStoreOptions {
  readonly db: Db;
  /** @default 'product_listing' */
  readonly collection?: string;
}

/** The sort keys as fields, so each sort is one ascending index walk (`_id` breaks ties). */
const SORT_FIELD: Readonly<Record<ListingSortKey, 'sPriceAsc' | 'sPriceDesc' | 'sAvail' | 'sNewest'>> = {
  priceAsc: 'sPriceAsc',
  priceDesc: 'sPriceDesc',
  availability: 'sAvail',
  newest: 'sNewest',
};

type ListingDocument = Omit<ListingDoc, 'sku'> & { _id: string; sPriceAsc: number; sPriceDesc: number; sAvail: number; sNewest: number };

const toDocument = ({ sku, ...rest }: ListingDoc): ListingDocument => ({
  _id: sku,
  ...rest,
  categories: [...rest.categories],
  categoryKeys: [...rest.categoryKeys],
  suppliers: [...rest.suppliers],
  terms: [...rest.terms],
  words: [...rest.words],
  ids: [...rest.ids],
  sPriceAsc: sortKeyOf(rest, 'priceAsc'),
  sPriceDesc: sortKeyOf(rest, 'priceDesc'),
  sAvail: sortKeyOf(rest, 'availability'),
  sNewest: sortKeyOf(rest, 'newest'),
});

function toDoc(d: ListingDocument): ListingDoc {
  const { _id, sPriceAsc: _a, sPriceDesc: _b, sAvail: _c, sNewest: _d, ...rest } = d;
  return { sku: _id, ...rest };
}

/**
 * The MongoDB query of a filter. No `$text` (FerretDB 1.24 has no text index): a text query is `terms: { $all }`
 * over a multikey index of whole words, their prefixes and identifiers, computed by the indexer.
 */
function queryOf(f: ListingFilter): Filter<ListingDocument> {
  const q: Record<string, unknown> = {};
  if (f.terms && f.terms.length > 0) q['terms'] = { $all: [...f.terms] };
  if (f.brandKeys) q['brandKey'] = { $in: [...f.brandKeys] };
  if (f.categoryKeys) q['categoryKeys'] = { $in: [...f.categoryKeys] };
  if (f.suppliers) q['suppliers'] = { $in: [...f.suppliers] };
  if (f.inStock !== undefined) q['inStock'] = f.inStock;
  if (f.minPriceMinor !== undefined || f.maxPriceMinor !== undefined) {
    // priceMinor is null when unpriced: a bound on it never matches null.
    q['priceMinor'] = { $ne: null, ...(f.minPriceMinor !== undefined ? { $gte: f.minPriceMinor } : {}), ...(f.maxPriceMinor !== undefined ? { $lte: f.maxPriceMinor } : {}) };
  }
  return q as Filter<ListingDocument>;
}

const KEYS_PROJECTION = { _id: 1, brand: 1, brandKey: 1, categories: 1, suppliers: 1, inStock: 1, priceMinor: 1, words: 1, ids: 1, available: 1, createdAt: 1 } as const;

/**
 * ListingStore on a MongoDB-protocol server (collection `product_listing`, `_id` = canonical SKU). Every write replaces
 * one document whole by `_id` — no conditional update, which FerretDB does not make atomic; the indexer always writes
 * what it read last, so the last refresh wins. Indexes (docs/storefront.md "Listing"): `terms` (multikey, text),
 * one `{ <sort key>: 1, _id: 1 }` per sort, `{ brandKey, sPriceAsc, _id }`, `{ inStock, sPriceAsc, _id }`,
 * `categoryKeys`, `suppliers`.
 */
export function createMongoListingStore(options: MongoListingStoreOptions): ListingStore & { ensureIndexes(): Promise<void> } {
  const rows: Collection<ListingDocument> = options.db.collection<ListingDocument>(options.collection ?? 'product_listing');
  return {
    async ensureIndexes() {
      await storeCall('listing.ensureIndexes', async () => {
        await rows.createIndex({ terms: 1 }, { name: 'terms' });
        for (const field of Object.values(SORT_FIELD)) await rows.createIndex({ [field]: 1, _id: 1 }, { name: `sort_${field}` });
        await rows.createIndex({ brandKey: 1, sPriceAsc: 1, _id: 1 }, { name: 'brand_price' });
        await rows.createIndex({ inStock: 1, sPriceAsc: 1, _id: 1 }, { name: 'in_stock_price' });
        await rows.createIndex({ categoryKeys: 1 }, { name: 'categories' });
        await rows.createIndex({ suppliers: 1 }, { name: 'suppliers' });
      });
    },
    async upsert(docs) {
      if (docs.length === 0) return;
      await storeCall('listing.upsert', async () => {
        await rows.bulkWrite(docs.map((d) => {
          const { _id, ...rest } = toDocument(d);
          return { replaceOne: { filter: { _id }, replacement: rest as ListingDocument, upsert: true } };
        }), { ordered: false });
      });
    },
    async remove(skus) {
      if (skus.length === 0) return;
      await storeCall('listing.remove', async () => {
        await rows.deleteMany({ _id: { $in: [...skus] } });
      });
    },
    async getBySkus(skus) {
      if (skus.length === 0) return [];
      return storeCall('listing.getBySkus', async () => {
        const found = new Map((await rows.find({ _id: { $in: [...skus] } }).toArray()).map((d) => [d._id, toDoc(d)]));
        return skus.map((s) => found.get(s) ?? null);
      });
    },
    async page(filter, sort, after, limit) {
      const field = SORT_FIELD[sort];
      const q = queryOf(filter) as Record<string, unknown>;
      const query = after === null ? q : { $and: [q, { $or: [{ [field]: { $gt: after.key } }, { [field]: after.key, _id: { $gt: after.sku } }] }] };
      return storeCall('listing.page', async () =>
        (await rows.find(query as Filter<ListingDocument>).sort({ [field]: 1, _id: 1 } as Sort).limit(limit).toArray()).map(toDoc),
      );
    },
    async scan(filter, limit) {
      return storeCall('listing.scan', async () =>
        (await rows.find(queryOf(filter), { projection: KEYS_PROJECTION }).limit(limit).toArray()).map((d): ListingKeys => ({
          sku: d._id,
          brand: d.brand ?? null,
          brandKey: d.brandKey ?? null,
          categories: d.categories ?? [],
          suppliers: d.suppliers ?? [],
          inStock: d.inStock,
          priceMinor: d.priceMinor ?? null,
          words: d.words ?? [],
          ids: d.ids ?? [],
          available: d.available,
          createdAt: d.createdAt,
        })),
      );
    },
    async count(filter) {
      return storeCall('listing.count', () => rows.countDocuments(queryOf(filter)));
    },
    async skus() {
      return storeCall('listing.skus', async () => (await rows.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((d) => d._id));
    },
    async clear() {
      await storeCall('listing.clear', async () => {
        await rows.deleteMany({});
      });
    },
  };
}
