import type { Collection, Db } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import type { CatalogStore, FamilyRecord, FamilySource, NewProduct, ProductPage, ProductRecord, SupplierSkuMapping } from '../../../platform/ports/catalog-store.ts';
import {
  assembleProduct,
  copyOptions,
  mergeCategories,
  mergeImages,
  checkMapping,
  checkNewProduct,
  gtinKey,
  identifierGtinKey,
  identifierManufacturerMpnKey,
  manufacturerMpnKey,
  type StoredMapping,
} from '../catalog-keys.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { systemClock, type Clock } from '../timestamps.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoCatalogStoreOptions {
  readonly db: Db;
  /** @default 'products' */
  readonly productsCollection?: string;
  /** @default 'product_suppliers' */
  readonly mappingsCollection?: string;
  /** @default 'product_supplier_skus' */
  readonly supplierSkusCollection?: string;
  /** @default 'product_families' */
  readonly familiesCollection?: string;
  /** @default 'product_family_sources' */
  readonly familySourcesCollection?: string;
  /** @default the system clock */
  readonly now?: Clock;
}

export interface MongoCatalogStore extends CatalogStore {
  ensureIndexes(): Promise<void>;
}

type VariantDetails = 'familyId' | 'options' | 'images' | 'categories';
/** Products written before families existed lack the variant details (they read as none). */
interface ProductDoc extends Omit<ProductRecord, 'suppliers' | VariantDetails>, Partial<Pick<ProductRecord, VariantDetails>> {
  _id: string;
  gtinKey: string;
  manufacturerMpnKey: string;
}

interface MappingDoc extends StoredMapping {
  /** `<sku>\u0000<supplier>` (mappingId); documents written before that was so carry an ObjectId. */
  _id: string;
  sku: string;
}

/** Pointer `<supplier>\u0000<supplierSku>` → the canonical SKU last mapped to it; a hint verified on every read. */
interface SupplierSkuDoc {
  _id: string;
  sku: string;
}

interface FamilyDoc extends FamilyRecord {
  _id: string;
}

/** `<supplier>\u0000<supplierFamilyId>` → the canonical family it is linked to; written once, never re-pointed. */
interface FamilySourceDoc {
  _id: string;
  familyId: string;
}

const familySourceId = (source: FamilySource): string => `${source.supplier}\u0000${source.supplierFamilyId}`;

const mappingId = (sku: string, supplier: string): string => `${sku}\u0000${supplier}`;
const supplierSkuId = (supplier: string, supplierSku: string): string => `${supplier}\u0000${supplierSku}`;

const MAX_ATTEMPTS = 20;
/** Supplier SKUs `skusBySupplierSkus` looks up at once. */
const BATCHED_LOOKUPS = 16;

/**
 * CatalogStore on a MongoDB-protocol server. Products live in `products` (_id = canonical SKU, unique `gtinKey`
 * and `manufacturerMpnKey`, see catalog-keys.ts); supplier mappings live one document per (sku, supplier) in
 * `product_suppliers`, so concurrent mapping writes for different suppliers touch different documents and cannot
 * overwrite each other (an embedded array would need a read-modify-write, which FerretDB 1.24 does not make
 * atomic). Every write is one single-document insert or upsert; unique indexes settle races.
 *
 * `skuBySupplierSku` is webhook ingest's hot path, and FerretDB pushes down only an exact `{_id}` filter (anything
 * else is a Go-side full scan). So a mapping's _id is `<sku>\0<supplier>` and `product_supplier_skus` holds a pointer
 * `<supplier>\0<supplierSku>` → sku, written after every mapping write: a lookup is two `_id` reads, the pointer and
 * the mapping it names. The pointer is only a hint — it is not updated when its mapping is re-pointed elsewhere, and
 * two writes to it can interleave — so the mapping must still name that supplier SKU; when it does not (or there is
 * no pointer: unknown, or mapped before pointers existed) the scan answers and the pointer is repaired.
 */
export function createMongoCatalogStore(options: MongoCatalogStoreOptions): MongoCatalogStore {
  const products: Collection<ProductDoc> = options.db.collection<ProductDoc>(options.productsCollection ?? 'products');
  const mappings: Collection<MappingDoc> = options.db.collection<MappingDoc>(options.mappingsCollection ?? 'product_suppliers');
  const supplierSkus: Collection<SupplierSkuDoc> = options.db.collection<SupplierSkuDoc>(options.supplierSkusCollection ?? 'product_supplier_skus');
  const families: Collection<FamilyDoc> = options.db.collection<FamilyDoc>(options.familiesCollection ?? 'product_families');
  const familySources: Collection<FamilySourceDoc> = options.db.collection<FamilySourceDoc>(options.familySourcesCollection ?? 'product_family_sources');
  const now = options.now ?? systemClock;

  /**
   * Creates the family if absent and adds what it lacks with `$addToSet` (one single-document update, no read first, so
   * two importers never drop each other's additions). `$addToSet` compares whole values: an image is one (url, alt).
   */
  async function putFamily(id: string, family: { name: string; brand: string | null; categories: readonly string[]; images: readonly FamilyRecord['images'][number][] }, source: FamilySource): Promise<void> {
    const at = now();
    const update = {
      $setOnInsert: { id, name: family.name, brand: family.brand, createdAt: at },
      $set: { updatedAt: at },
      $addToSet: {
        categories: { $each: [...family.categories] },
        images: { $each: family.images.map((i) => ({ url: i.url, alt: i.alt })) },
        sources: { supplier: source.supplier, supplierFamilyId: source.supplierFamilyId },
      },
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await families.updateOne({ _id: id }, update as never, { upsert: true });
        return;
      } catch (error) {
        // FerretDB's upsert is find-then-insert: two first writers collide; the retry updates the winner's document.
        if (!isDuplicateKeyError(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async function assemble(docs: readonly ProductDoc[]): Promise<Map<string, ProductRecord>> {
    const out = new Map<string, ProductRecord>();
    if (docs.length === 0) return out;
    const found = await mappings.find({ sku: { $in: docs.map((d) => d.sku) } }, { projection: { _id: 0 } }).toArray();
    const bySku = new Map<string, MappingDoc[]>();
    for (const m of found) bySku.set(m.sku, [...(bySku.get(m.sku) ?? []), m]);
    for (const doc of docs) out.set(doc.sku, assembleProduct(baseOf(doc), bySku.get(doc.sku) ?? []));
    return out;
  }

  async function one(filter: Partial<Pick<ProductDoc, '_id' | 'gtinKey' | 'manufacturerMpnKey'>>): Promise<ProductRecord | null> {
    const doc = await products.findOne(filter);
    return doc === null ? null : ((await assemble([doc])).get(doc.sku) ?? null);
  }

  /** Last writer wins for one (sku, supplier); a no-op when the mapping is already there (keeps updatedAt). */
  async function putMapping(sku: string, mapping: SupplierSkuMapping): Promise<void> {
    const _id = mappingId(sku, mapping.supplier);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await mappings.findOne({ _id });
      if (current?.supplierSku === mapping.supplierSku) return pointSupplierSku(mapping, sku);
      try {
        await mappings.replaceOne({ _id }, { sku, supplier: mapping.supplier, supplierSku: mapping.supplierSku, updatedAt: now() }, { upsert: true });
        return pointSupplierSku(mapping, sku);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Either a racing writer created this _id first (the next attempt replaces it), or a mapping written before
        // mapping ids existed holds (sku, supplier) under an ObjectId: update that one in place (its lookups scan).
        if ((await mappings.findOne({ _id }, { projection: { _id: 1 } })) !== null) continue;
        const legacy = await mappings.findOne({ sku, supplier: mapping.supplier });
        if (legacy === null) continue; // removed meanwhile (clear): try again
        if (legacy.supplierSku !== mapping.supplierSku) {
          await mappings.updateOne({ _id: legacy._id }, { $set: { supplierSku: mapping.supplierSku, updatedAt: now() } });
        }
        return pointSupplierSku(mapping, sku);
      }
    }
    throw registryError('STORE_FAILURE', `mapping write for ${sku}/${mapping.supplier} kept colliding`, { operation: 'catalog.upsertSupplierMapping' });
  }

  /** Writes the pointer; only ever a hint (see above), so the last writer winning is fine. */
  async function pointSupplierSku(mapping: SupplierSkuMapping, sku: string): Promise<void> {
    const _id = supplierSkuId(mapping.supplier, mapping.supplierSku);
    for (let attempt = 0; ; attempt += 1) {
      try {
        await supplierSkus.replaceOne({ _id }, { sku }, { upsert: true });
        return;
      } catch (error) {
        // FerretDB's upsert is find-then-insert: two first writers of one pointer collide; the retry replaces.
        if (!isDuplicateKeyError(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The pointer and the mapping it names (two `_id` reads); the scan when there is none or it is stale. */
  async function skuOfSupplierSku(supplier: string, supplierSku: string): Promise<string | null> {
    const pointer = await supplierSkus.findOne({ _id: supplierSkuId(supplier, supplierSku) });
    if (pointer !== null) {
      const mapping = await mappings.findOne({ _id: mappingId(pointer.sku, supplier) });
      if (mapping?.supplierSku === supplierSku) return pointer.sku;
    }
    // No pointer, or a stale one (its mapping was re-pointed): the scan decides, and the pointer follows it.
    const [found] = await mappings.find({ supplier, supplierSku }).sort({ sku: 1 }).limit(1).toArray();
    if (found === undefined) return null;
    await pointSupplierSku({ supplier, supplierSku }, found.sku);
    return found.sku;
  }

  return {
    async ensureIndexes() {
      await storeCall('catalog.ensureIndexes', async () => {
        await products.createIndex({ sku: 1 }, { name: 'sku_unique', unique: true });
        await products.createIndex({ gtinKey: 1 }, { name: 'gtin_key_unique', unique: true });
        await products.createIndex({ manufacturerMpnKey: 1 }, { name: 'manufacturer_mpn_key_unique', unique: true });
        await mappings.createIndex({ sku: 1, supplier: 1 }, { name: 'sku_supplier_unique', unique: true });
        await mappings.createIndex({ supplier: 1, supplierSku: 1 }, { name: 'supplier_sku' });
        // A family's variants in SKU order (the product page): an equality on familyId, then the _id order.
        await products.createIndex({ familyId: 1, _id: 1 }, { name: 'family_variants' });
      });
    },

    async getBySkus(skus) {
      return storeCall('catalog.getBySkus', async () => {
        const docs = await products.find({ _id: { $in: [...new Set(skus)] } }).toArray();
        const records = await assemble(docs);
        return skus.map((sku) => records.get(sku) ?? null);
      });
    },

    async list(first, after): Promise<ProductPage> {
      checkPageSize(first, 500);
      const [afterSku] = after === null ? [null] : decodeCursor(after, 1);
      return storeCall('catalog.list', async () => {
        const filter = afterSku === null ? {} : { _id: { $gt: afterSku } };
        const docs = await products.find(filter).sort({ _id: 1 }).limit(first + 1).toArray();
        const page = docs.slice(0, first);
        const records = await assemble(page);
        const last = page[page.length - 1];
        return {
          items: page.map((d) => records.get(d.sku)!),
          nextCursor: docs.length > first && last !== undefined ? encodeCursor([last.sku]) : null,
        };
      });
    },

    async findByIdentifiers(ids) {
      return storeCall('catalog.findByIdentifiers', async () => {
        const g = identifierGtinKey(ids.gtin);
        const byGtin = g === null ? null : await one({ gtinKey: g });
        if (byGtin !== null) return byGtin;
        const m = identifierManufacturerMpnKey(ids.manufacturer, ids.mpn);
        return m === null ? null : one({ manufacturerMpnKey: m });
      });
    },

    async findBySupplierSku(supplier, supplierSku) {
      return storeCall('catalog.findBySupplierSku', async () => {
        const [mapping] = await mappings.find({ supplier, supplierSku }).sort({ sku: 1 }).limit(1).toArray();
        return mapping === undefined ? null : one({ _id: mapping.sku });
      });
    },

    async skuBySupplierSku(supplier, supplierSku) {
      return storeCall('catalog.skuBySupplierSku', () => skuOfSupplierSku(supplier, supplierSku));
    },

    async skusBySupplierSkus(refs) {
      return storeCall('catalog.skusBySupplierSkus', async () => {
        // Each distinct supplier SKU looked up once, a few at a time, by `_id` reads: FerretDB answers `_id` equality
        // from its primary key but scans the whole collection for `$in` (webhook-inbox.ts has the measurement).
        const distinct = [...new Map(refs.map((r) => [supplierSkuId(r.supplier, r.supplierSku), r] as const))];
        const byKey = new Map<string, string | null>();
        let next = 0;
        await Promise.all(Array.from({ length: Math.min(BATCHED_LOOKUPS, distinct.length) }, async () => {
          while (next < distinct.length) {
            const [key, ref] = distinct[next++]!;
            byKey.set(key, await skuOfSupplierSku(ref.supplier, ref.supplierSku));
          }
        }));
        return refs.map((r) => byKey.get(supplierSkuId(r.supplier, r.supplierSku)) ?? null);
      });
    },

    async insert(product: NewProduct) {
      checkNewProduct(product);
      return storeCall('catalog.insert', async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
          const at = now();
          const doc: ProductDoc = {
            _id: product.sku,
            ...baseOf({ ...product, createdAt: at, updatedAt: at }),
            gtinKey: gtinKey(product),
            manufacturerMpnKey: manufacturerMpnKey(product),
          };
          try {
            await products.insertOne(doc);
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
            // Same precedence as the memory store: SKU, then GTIN, then (manufacturer, mpn).
            const existing =
              (await one({ _id: product.sku })) ??
              (await one({ gtinKey: doc.gtinKey })) ??
              (await one({ manufacturerMpnKey: doc.manufacturerMpnKey }));
            if (existing !== null) return { inserted: false as const, existing };
            continue; // the winner vanished (clear) between our insert and the read: try again
          }
          // The product insert decided the race; its mappings follow as their own single-document upserts.
          await Promise.all(product.suppliers.map((m) => putMapping(product.sku, m)));
          const inserted = await one({ _id: product.sku });
          if (inserted !== null) return { inserted: true as const, product: inserted };
        }
        throw registryError('STORE_FAILURE', `product insert for ${product.sku} kept colliding`, { operation: 'catalog.insert' });
      });
    },

    async upsertSupplierMapping(sku, mapping) {
      checkMapping(mapping);
      return storeCall('catalog.upsertSupplierMapping', async () => {
        if ((await products.countDocuments({ _id: sku }, { limit: 1 })) === 0) return null;
        await putMapping(sku, mapping);
        return one({ _id: sku });
      });
    },

    async count() {
      return storeCall('catalog.count', () => products.countDocuments({}));
    },

    async familyIdOfSource(source) {
      return storeCall('catalog.familyIdOfSource', async () => (await familySources.findOne({ _id: familySourceId(source) }))?.familyId ?? null);
    },

    async mergeFamily(family, source) {
      return storeCall('catalog.mergeFamily', async () => {
        const _id = familySourceId(source);
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
          const linked = (await familySources.findOne({ _id }))?.familyId;
          if (linked === undefined) {
            try {
              await familySources.insertOne({ _id, familyId: family.id });
            } catch (error) {
              if (!isDuplicateKeyError(error)) throw error;
              continue; // another importer linked this source first: merge into its family
            }
          }
          const id = linked ?? family.id;
          await putFamily(id, family, source);
          return id;
        }
        throw registryError('STORE_FAILURE', `family link for ${source.supplier} kept colliding`, { operation: 'catalog.mergeFamily' });
      });
    },

    async getFamilies(ids) {
      return storeCall('catalog.getFamilies', async () => {
        const docs = await families.find({ _id: { $in: [...new Set(ids)] } }).toArray();
        const byId = new Map(docs.map((d) => [d._id, d]));
        return ids.map((id) => {
          const d = byId.get(id);
          if (d === undefined) return null;
          return {
            id: d._id,
            name: d.name,
            brand: d.brand ?? null,
            categories: mergeCategories([], d.categories ?? []),
            images: mergeImages([], d.images ?? []),
            sources: (d.sources ?? []).map((s) => ({ supplier: s.supplier, supplierFamilyId: s.supplierFamilyId })),
            createdAt: d.createdAt,
            updatedAt: d.updatedAt,
          };
        });
      });
    },

    async variantsOfFamilies(ids, limit) {
      checkPageSize(limit, 500);
      return storeCall('catalog.variantsOfFamilies', async () => {
        // One indexed range read per family (family_variants), so a large family cannot crowd out the others.
        const perFamily = await Promise.all(ids.map((familyId) => products.find({ familyId }).sort({ _id: 1 }).limit(limit).toArray()));
        const records = await assemble(perFamily.flat());
        return perFamily.map((docs) => docs.map((d) => records.get(d.sku)!));
      });
    },

    async mergeVariantDetails(sku, details) {
      return storeCall('catalog.mergeVariantDetails', async () => {
        const current = await products.findOne({ _id: sku });
        if (current === null) return false;
        // One single-document update whose filter carries the "first writer wins" conditions it relies on; $addToSet
        // appends only what is missing. If a racing importer set the family or options first, the filter misses and
        // only the additions are applied. (On FerretDB a filter and its update are not one atomic step: two importers
        // racing on one product may both set options, and the last one stays; both describe the same variant.)
        const setFamily = details.familyId !== null && (current.familyId ?? null) === null;
        const setOptions = details.options.length > 0 && (current.options ?? []).length === 0;
        const images = details.images.map((i) => ({ url: i.url, alt: i.alt }));
        const add =
          images.some((i) => !(current.images ?? []).some((c) => c.url === i.url && c.alt === i.alt)) ||
          details.categories.some((c) => !(current.categories ?? []).includes(c));
        if (!setFamily && !setOptions && !add) return true;
        const additions = add ? { $addToSet: { images: { $each: images }, categories: { $each: [...details.categories] } } } : {};
        const filter = {
          _id: sku,
          ...(setFamily ? { familyId: { $in: [null] } } : {}),
          ...(setOptions ? { $or: [{ options: { $exists: false } }, { options: { $size: 0 } }] } : {}),
        };
        const set = { updatedAt: now(), ...(setFamily ? { familyId: details.familyId } : {}), ...(setOptions ? { options: copyOptions(details.options) } : {}) };
        const result = await products.updateOne(filter as never, { $set: set, ...additions } as never);
        if (result.matchedCount === 0 && add) await products.updateOne({ _id: sku }, { $set: { updatedAt: now() }, ...additions } as never);
        return true;
      });
    },

    async clear() {
      return storeCall('catalog.clear', async () => {
        await products.deleteMany({});
        await mappings.deleteMany({});
        await supplierSkus.deleteMany({});
        await families.deleteMany({});
        await familySources.deleteMany({});
      });
    },
  };
}

function baseOf(doc: Omit<ProductDoc, '_id' | 'gtinKey' | 'manufacturerMpnKey'>): Omit<ProductRecord, 'suppliers'> {
  return {
    familyId: doc.familyId ?? null,
    options: copyOptions(doc.options ?? []),
    images: mergeImages([], doc.images ?? []),
    categories: mergeCategories([], doc.categories ?? []),
    sku: doc.sku,
    title: doc.title,
    brand: doc.brand,
    gtin: doc.gtin,
    manufacturer: doc.manufacturer,
    mpn: doc.mpn,
    description: doc.description,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
