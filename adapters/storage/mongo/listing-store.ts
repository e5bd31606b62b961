import type { Collection, Db, Filter, Sort } from 'mongodb';
import { sortKeyOf, type ListingDoc, type ListingFilter, type ListingKeys, type ListingPosition, type ListingSortKey, type ListingStore } from '../../../platform/ports/listing-store.ts';
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

const keysOf = (d: Pick<ListingDocument, '_id' | keyof typeof KEYS_PROJECTION>): ListingKeys => ({
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
});

/** The page and scan reads of one filter asked in the same tick, waiting for their answer. */
interface Asked {
  readonly filter: ListingFilter;
  readonly pages: { sort: ListingSortKey; after: ListingPosition | null; limit: number; resolve: (v: ListingDoc[]) => void; reject: (e: unknown) => void }[];
  readonly scans: { limit: number; resolve: (v: ListingKeys[]) => void; reject: (e: unknown) => void }[];
}

/**
 * ListingStore on a MongoDB-protocol server (collection `product_listing`, `_id` = canonical SKU). Every write replaces
 * one document whole by `_id` — no conditional update, which FerretDB does not make atomic; the indexer always writes
 * what it read last, so the last refresh wins. Indexes (docs/storefront.md "Listing"): `terms` (multikey, text),
 * one `{ <sort key>: 1, _id: 1 }` per sort, `{ brandKey, sPriceAsc, _id }`, `{ inStock, sPriceAsc, _id }`,
 * `categoryKeys`, `suppliers`.
 */
export function createMongoListingStore(options: MongoListingStoreOptions): ListingStore & { ensureIndexes(): Promise<void> } {
  const rows: Collection<ListingDocument> = options.db.collection<ListingDocument>(options.collection ?? 'product_listing');

  const pageRead = (filter: ListingFilter, sort: ListingSortKey, after: ListingPosition | null, limit: number) => {
    const field = SORT_FIELD[sort];
    const q = queryOf(filter) as Record<string, unknown>;
    const query = after === null ? q : { $and: [q, { $or: [{ [field]: { $gt: after.key } }, { [field]: after.key, _id: { $gt: after.sku } }] }] };
    return storeCall('listing.page', async () =>
      (await rows.find(query as Filter<ListingDocument>).sort({ [field]: 1, _id: 1 } as Sort).limit(limit).toArray()).map(toDoc),
    );
  };
  // batchSize: the whole scan in the first reply (the driver's default is 101 documents, then a getMore per batch).
  const scanRead = (filter: ListingFilter, limit: number) =>
    storeCall('listing.scan', async () => (await rows.find(queryOf(filter), { projection: KEYS_PROJECTION }).limit(limit).batchSize(limit).toArray()).map(keysOf));

  /**
   * A page and a scan of one filter asked in the same tick — what a listing query does, in parallel — are answered by
   * one find: the matches in the page's order, up to the scan's limit, whole. On FerretDB 1.24 (SQLite) every filter
   * but `_id` equality is evaluated by reading the whole collection, so two finds were two full reads (docs/benchmarks.md
   * "Listing"). The page is cut from the matches after `after`; when the scan's limit truncated them before a full
   * page, the page is read on its own. A lone page or scan is its own find, as before.
   */
  let batch: Map<string, Asked> | null = null;
  const join = (filter: ListingFilter): Asked => {
    if (batch === null) {
      batch = new Map();
      queueMicrotask(() => {
        const asked = batch!;
        batch = null;
        for (const a of asked.values()) void answer(a);
      });
    }
    const key = JSON.stringify(filter);
    let a = batch.get(key);
    if (a === undefined) batch.set(key, (a = { filter, pages: [], scans: [] }));
    return a;
  };
  const settle = <T>(p: Promise<T>, to: { resolve: (v: T) => void; reject: (e: unknown) => void }) => p.then(to.resolve, to.reject);
  const answer = async ({ filter, pages, scans }: Asked): Promise<void> => {
    if (pages.length !== 1 || scans.length !== 1) {
      for (const p of pages) void settle(pageRead(filter, p.sort, p.after, p.limit), p);
      for (const s of scans) void settle(scanRead(filter, s.limit), s);
      return;
    }
    const [p, sc] = [pages[0]!, scans[0]!];
    const field = SORT_FIELD[p.sort];
    let matches: ListingDocument[];
    try {
      matches = await storeCall('listing.pageAndScan', () => rows.find(queryOf(filter)).sort({ [field]: 1, _id: 1 } as Sort).limit(sc.limit).batchSize(sc.limit).toArray());
    } catch (error) {
      p.reject(error);
      sc.reject(error);
      return;
    }
    sc.resolve(matches.map(keysOf));
    const after = p.after;
    const rest = after === null ? matches : matches.filter((d) => d[field] > after.key || (d[field] === after.key && d._id > after.sku));
    if (rest.length >= p.limit || matches.length < sc.limit) p.resolve(rest.slice(0, p.limit).map(toDoc));
    else void settle(pageRead(filter, p.sort, after, p.limit), p);
  };
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
        const ops = docs.map((d) => {
          const { _id, ...rest } = toDocument(d);
          return { replaceOne: { filter: { _id }, replacement: rest as ListingDocument, upsert: true } };
        });
        // A few statements a command, one command at a time: FerretDB 1.24 holds one SQLite connection per statement of
        // an update command until it ends, out of 100 per database, so a command of 100 never finishes and starves every
        // other command on the database (see catalog-store.ts BATCH). An import's burst of catalog.changed made one.
        for (let i = 0; i < ops.length; i += 16) await rows.bulkWrite(ops.slice(i, i + 16), { ordered: false });
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
    page(filter, sort, after, limit) {
      return new Promise<ListingDoc[]>((resolve, reject) => join(filter).pages.push({ sort, after, limit, resolve, reject }));
    },
    scan(filter, limit) {
      return new Promise<ListingKeys[]>((resolve, reject) => join(filter).scans.push({ limit, resolve, reject }));
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
