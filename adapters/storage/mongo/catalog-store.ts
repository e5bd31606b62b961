import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db, type Document } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import type { ProductImage } from '../../../kernel/model.ts';
import type { CatalogStore, FamilyMerge, FamilyRecord, FamilySource, NewProduct, ProductPage, ProductRecord, SupplierSkuMapping, VariantDetailsUpdate, VariantMerge } from '../../../platform/ports/catalog-store.ts';
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
  /** @default 'product_variant_claims' */
  readonly variantClaimsCollection?: string;
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

/**
 * `<sku>\0familyId` / `<sku>\0options` → the value the first writer gave that write-once detail of a product. The
 * insert is the arbiter (an `_id` insert is atomic on FerretDB too, a conditional update is not); the product's own
 * field is then set to the winner's value, so a writer that lost, or one that died between the two, sets the same.
 */
interface VariantClaimDoc {
  _id: string;
  value: unknown;
}

const claimId = (sku: string, field: 'familyId' | 'options'): string => `${sku}\u0000${field}`;

/**
 * Statements per write command, and `_id` reads in flight at once, in the batched writes. FerretDB 1.24 answers only
 * an exact `_id` filter from its primary key (`$in`, or any second condition, scans the collection), and holds one
 * SQLite connection per statement of an update command until the command ends, out of 100 per database: an update
 * command of 100 statements never finishes (measured), and a few big ones at once would starve each other.
 */
const BATCH = 16;

/** The write errors of a bulk write that are all duplicate keys, by index; null when any other error is among them. */
function duplicateIndexes(error: unknown): number[] | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const raw = error.writeErrors as unknown;
  const list = (Array.isArray(raw) ? raw : [raw]) as { index: number; code: number }[];
  return list.length > 0 && list.every((e) => e.code === 11000) ? list.map((e) => e.index) : null;
}

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
  const claims: Collection<VariantClaimDoc> = options.db.collection<VariantClaimDoc>(options.variantClaimsCollection ?? 'product_variant_claims');
  const now = options.now ?? systemClock;

  /** Documents by `_id`, a few reads at a time (exact `_id` reads: see BATCH). */
  async function byIds<T extends { _id: string }>(collection: Collection<T>, ids: readonly string[], projection?: Document): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    const distinct = [...new Set(ids)];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(BATCH, distinct.length) }, async () => {
        while (next < distinct.length) {
          const id = distinct[next++]!;
          const doc = (await collection.findOne({ _id: id } as never, projection ? { projection } : {})) as T | null;
          if (doc !== null) out.set(id, doc);
        }
      }),
    );
    return out;
  }

  /** Single-document updates by `_id`, BATCH statements a command, one command at a time. */
  async function writeAll<T extends Document>(collection: Collection<T>, ops: readonly AnyBulkWriteOperation<T>[]): Promise<void> {
    for (let i = 0; i < ops.length; i += BATCH) {
      const chunk = ops.slice(i, i + BATCH);
      for (let attempt = 0; ; attempt += 1) {
        try {
          await collection.bulkWrite(chunk as AnyBulkWriteOperation<T>[], { ordered: false });
          break;
        } catch (error) {
          // FerretDB's upsert is find-then-insert: two first writers of one family collide, and FerretDB fails the whole
          // command. Every statement is idempotent ($setOnInsert, $addToSet, $set of the same value): run it again.
          if (!isDuplicateKeyError(error) || attempt + 1 >= MAX_ATTEMPTS) throw error;
        }
      }
    }
  }

  /** Inserts the claims; resolves each claim's winning value (ours, or the one already there). */
  async function claim(docs: readonly VariantClaimDoc[]): Promise<Map<string, unknown>> {
    const out = new Map(docs.map((d) => [d._id, d.value] as const));
    if (docs.length === 0) return out;
    try {
      await claims.insertMany(docs.map((d) => ({ ...d })), { ordered: false });
      return out;
    } catch (error) {
      const lost = duplicateIndexes(error);
      if (lost === null) throw error;
      const held = await byIds(claims, lost.map((i) => docs[i]!._id));
      for (const i of lost) {
        const winner = held.get(docs[i]!._id);
        if (winner === undefined) throw registryError('STORE_FAILURE', 'a variant claim vanished while it was read (cleared meanwhile)', { operation: 'catalog.mergeManyVariantDetails' });
        out.set(docs[i]!._id, winner.value);
      }
      return out;
    }
  }

  /** Links each distinct source once (an `_id` insert: the arbiter between importers); the family each is linked to. */
  async function link(entries: readonly FamilyMerge[]): Promise<string[]> {
    const keys = entries.map((e) => familySourceId(e.source));
    const linked = new Map<string, string>();
    for (const [key, doc] of await byIds(familySources, keys)) linked.set(key, doc.familyId);
    const proposals = new Map<string, string>();
    entries.forEach((e, i) => {
      if (!linked.has(keys[i]!) && !proposals.has(keys[i]!)) proposals.set(keys[i]!, e.family.id);
    });
    const wanted = [...proposals].map(([_id, familyId]) => ({ _id, familyId }));
    if (wanted.length > 0) {
      let lost: number[] = [];
      try {
        await familySources.insertMany(wanted, { ordered: false });
      } catch (error) {
        const duplicates = duplicateIndexes(error);
        if (duplicates === null) throw error;
        lost = duplicates;
      }
      wanted.forEach((w, i) => {
        if (!lost.includes(i)) linked.set(w._id, w.familyId);
      });
      // Another importer linked these first: merge into its family.
      const winners = await byIds(familySources, lost.map((i) => wanted[i]!._id));
      for (const i of lost) {
        const winner = winners.get(wanted[i]!._id);
        if (winner === undefined) throw registryError('STORE_FAILURE', 'a family link vanished while it was read (cleared meanwhile)', { operation: 'catalog.mergeFamilies' });
        linked.set(wanted[i]!._id, winner.familyId);
      }
    }
    return keys.map((k) => linked.get(k)!);
  }

  async function mergeFamilies(entries: readonly FamilyMerge[]): Promise<{ familyIds: string[]; changed: string[] }> {
    const familyIds = await link(entries);
    const wanted = new Map<string, { name: string; brand: string | null; categories: string[]; images: ProductImage[]; sources: FamilySource[] }>();
    entries.forEach(({ family, source }, i) => {
      const id = familyIds[i]!;
      const w = wanted.get(id) ?? { name: family.name, brand: family.brand, categories: [], images: [], sources: [] };
      w.categories = mergeCategories(w.categories, family.categories);
      w.images = mergeImages(w.images, family.images);
      if (!w.sources.some((s) => familySourceId(s) === familySourceId(source))) w.sources.push({ supplier: source.supplier, supplierFamilyId: source.supplierFamilyId });
      wanted.set(id, w);
    });
    const current = await byIds(families, [...wanted.keys()]);
    const at = now();
    const changed: string[] = [];
    const ops: AnyBulkWriteOperation<FamilyDoc>[] = [];
    for (const [id, w] of wanted) {
      const doc = current.get(id);
      const sources = (doc?.sources ?? []).map(familySourceId);
      const lacks =
        doc === undefined ||
        mergeCategories(doc.categories ?? [], w.categories).length !== (doc.categories ?? []).length ||
        mergeImages(doc.images ?? [], w.images).length !== mergeImages([], doc.images ?? []).length ||
        w.sources.some((s) => !sources.includes(familySourceId(s)));
      if (!lacks) continue;
      changed.push(id);
      // $setOnInsert + $addToSet: no read-modify-write, so two importers never drop each other's additions on MongoDB.
      ops.push({
        updateOne: {
          filter: { _id: id },
          update: {
            $setOnInsert: { id, name: w.name, brand: w.brand, createdAt: at },
            $set: { updatedAt: at },
            $addToSet: { categories: { $each: w.categories }, images: { $each: w.images.map((i) => ({ url: i.url, alt: i.alt })) }, sources: { $each: w.sources } },
          } as never,
          upsert: true,
        },
      });
    }
    await writeAll(families, ops);
    return { familyIds, changed };
  }

  async function mergeManyVariantDetails(updates: readonly VariantMerge[]): Promise<{ changed: { sku: string; familyId: string | null }[]; missing: string[] }> {
    const wanted = new Map<string, VariantDetailsUpdate>();
    for (const { sku, details } of updates) {
      const w = wanted.get(sku);
      wanted.set(
        sku,
        w === undefined
          ? details
          : {
              familyId: w.familyId ?? details.familyId,
              options: w.options.length > 0 ? w.options : details.options,
              images: mergeImages(w.images, details.images),
              categories: mergeCategories(w.categories, details.categories),
            },
      );
    }
    const docs = await byIds(products, [...wanted.keys()], { familyId: 1, options: 1, images: 1, categories: 1 });
    const missing = [...wanted.keys()].filter((sku) => !docs.has(sku));
    // Write-once details (family, options) go to the first writer: claimed by insert, then copied (VariantClaimDoc).
    const toClaim: VariantClaimDoc[] = [];
    for (const [sku, w] of wanted) {
      const doc = docs.get(sku);
      if (doc === undefined) continue;
      if (w.familyId !== null && (doc.familyId ?? null) === null) toClaim.push({ _id: claimId(sku, 'familyId'), value: w.familyId });
      if (w.options.length > 0 && (doc.options ?? []).length === 0) toClaim.push({ _id: claimId(sku, 'options'), value: copyOptions(w.options) });
    }
    const won = await claim(toClaim);
    const at = now();
    const changed: { sku: string; familyId: string | null }[] = [];
    const ops: AnyBulkWriteOperation<ProductDoc>[] = [];
    for (const [sku, w] of wanted) {
      const doc = docs.get(sku);
      if (doc === undefined) continue;
      const familyId = won.has(claimId(sku, 'familyId')) ? (won.get(claimId(sku, 'familyId')) as string) : null;
      const options = won.get(claimId(sku, 'options')) as ProductRecord['options'] | undefined;
      const images = mergeImages(doc.images ?? [], w.images).slice(mergeImages([], doc.images ?? []).length);
      const categories = mergeCategories(doc.categories ?? [], w.categories).slice((doc.categories ?? []).length);
      if (familyId === null && options === undefined && images.length === 0 && categories.length === 0) continue;
      changed.push({ sku, familyId: familyId ?? doc.familyId ?? null });
      const set = { updatedAt: at, ...(familyId !== null ? { familyId } : {}), ...(options !== undefined ? { options } : {}) };
      const add = images.length + categories.length > 0 ? { $addToSet: { images: { $each: images }, categories: { $each: categories } } } : {};
      ops.push({ updateOne: { filter: { _id: sku }, update: { $set: set, ...add } as never } });
    }
    await writeAll(products, ops);
    return { changed, missing };
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
      return storeCall('catalog.mergeFamily', async () => (await mergeFamilies([{ family, source }])).familyIds[0]!);
    },

    async mergeFamilies(entries) {
      return storeCall('catalog.mergeFamilies', () => mergeFamilies(entries));
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
      return storeCall('catalog.mergeVariantDetails', async () => (await mergeManyVariantDetails([{ sku, details }])).missing.length === 0);
    },

    async mergeManyVariantDetails(updates) {
      return storeCall('catalog.mergeManyVariantDetails', () => mergeManyVariantDetails(updates));
    },

    async clear() {
      return storeCall('catalog.clear', async () => {
        await products.deleteMany({});
        await mappings.deleteMany({});
        await supplierSkus.deleteMany({});
        await families.deleteMany({});
        await familySources.deleteMany({});
        await claims.deleteMany({});
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
