import type { CatalogStore, FamilyRecord, FamilySource, NewFamily, NewProduct, ProductPage, ProductRecord, SupplierSkuMapping, VariantDetailsUpdate } from '../../../platform/ports/catalog-store.ts';
import {
  assembleProduct,
  copyOptions,
  mergeCategories,
  mergeImages,
  checkMapping,
  checkNewProduct,
  compareStrings,
  gtinKey,
  identifierGtinKey,
  identifierManufacturerMpnKey,
  manufacturerMpnKey,
  type StoredMapping,
} from '../catalog-keys.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { systemClock, type Clock } from '../timestamps.ts';

export interface MemoryCatalogStoreOptions {
  /** @default the system clock */
  readonly now?: Clock;
}

type ProductBase = Omit<ProductRecord, 'suppliers'>;

/**
 * The embedded CatalogStore. Every method runs to completion without awaiting, so each is atomic, and the
 * uniqueness keys are the same ones the MongoDB store indexes (catalog-keys.ts).
 */
export function createMemoryCatalogStore(options: MemoryCatalogStoreOptions = {}): CatalogStore {
  const now = options.now ?? systemClock;
  const products = new Map<string, ProductBase>();
  const mappings = new Map<string, Map<string, StoredMapping>>(); // sku -> supplier -> mapping
  const byGtin = new Map<string, string>();
  const byManufacturerMpn = new Map<string, string>();
  const bySupplierSku = new Map<string, Set<string>>(); // supplier \0 supplierSku -> skus
  const families = new Map<string, FamilyRecord>();
  const familySources = new Map<string, string>(); // supplier \0 supplierFamilyId -> family id
  const sourceKey = (source: FamilySource): string => `${source.supplier}\u0000${source.supplierFamilyId}`;

  const supplierSkuKey = (supplier: string, supplierSku: string): string => `${supplier}\u0000${supplierSku}`;

  function record(sku: string): ProductRecord | null {
    const base = products.get(sku);
    return base === undefined ? null : assembleProduct(base, [...(mappings.get(sku)?.values() ?? [])]);
  }

  function putMapping(sku: string, mapping: SupplierSkuMapping, at: string): void {
    let forSku = mappings.get(sku);
    if (forSku === undefined) mappings.set(sku, (forSku = new Map()));
    const previous = forSku.get(mapping.supplier);
    if (previous?.supplierSku === mapping.supplierSku) return; // idempotent: no new updatedAt
    if (previous !== undefined) bySupplierSku.get(supplierSkuKey(previous.supplier, previous.supplierSku))?.delete(sku);
    forSku.set(mapping.supplier, { supplier: mapping.supplier, supplierSku: mapping.supplierSku, updatedAt: at });
    const key = supplierSkuKey(mapping.supplier, mapping.supplierSku);
    let skus = bySupplierSku.get(key);
    if (skus === undefined) bySupplierSku.set(key, (skus = new Set()));
    skus.add(sku);
  }

  /** Links `source` (unless linked) and merges `family` into the family it is linked to; atomic (no await). */
  function mergeOneFamily(family: NewFamily, source: FamilySource): { id: string; changed: boolean } {
    const linked = familySources.get(sourceKey(source)) ?? family.id;
    const at = now();
    const current = families.get(linked);
    const base: FamilyRecord = current ?? { id: linked, name: family.name, brand: family.brand, categories: [], images: [], sources: [], createdAt: at, updatedAt: at };
    const sources = base.sources.some((s) => sourceKey(s) === sourceKey(source)) ? base.sources : [...base.sources, { supplier: source.supplier, supplierFamilyId: source.supplierFamilyId }];
    const categories = mergeCategories(base.categories, family.categories);
    const images = mergeImages(base.images, family.images);
    const changed = current === undefined || sources !== base.sources || categories.length !== base.categories.length || images.length !== base.images.length;
    families.set(linked, changed ? { ...base, sources, categories, images, updatedAt: at } : base);
    familySources.set(sourceKey(source), linked);
    return { id: linked, changed };
  }

  function mergeOneVariant(sku: string, details: VariantDetailsUpdate): 'missing' | 'changed' | 'unchanged' {
    const base = products.get(sku);
    if (base === undefined) return 'missing';
    const next: ProductBase = {
      ...base,
      familyId: base.familyId ?? details.familyId,
      options: base.options.length > 0 ? base.options : copyOptions(details.options),
      images: mergeImages(base.images, details.images),
      categories: mergeCategories(base.categories, details.categories),
    };
    const changed =
      next.familyId !== base.familyId || next.options.length !== base.options.length || next.images.length !== base.images.length || next.categories.length !== base.categories.length;
    if (!changed) return 'unchanged';
    products.set(sku, { ...next, updatedAt: now() });
    return 'changed';
  }

  return {
    async getBySkus(skus) {
      return skus.map((sku) => record(sku));
    },

    async list(first, after): Promise<ProductPage> {
      checkPageSize(first, 500);
      const [afterSku] = after === null ? [null] : decodeCursor(after, 1);
      const sorted = [...products.keys()].sort(compareStrings).filter((sku) => afterSku === null || sku > afterSku!);
      const page = sorted.slice(0, first);
      const items = page.map((sku) => record(sku)!);
      const last = page[page.length - 1];
      return { items, nextCursor: sorted.length > first && last !== undefined ? encodeCursor([last]) : null };
    },

    async findByIdentifiers(ids) {
      const g = identifierGtinKey(ids.gtin);
      const bySku = g === null ? undefined : byGtin.get(g);
      if (bySku !== undefined) return record(bySku);
      const m = identifierManufacturerMpnKey(ids.manufacturer, ids.mpn);
      const byMpn = m === null ? undefined : byManufacturerMpn.get(m);
      return byMpn === undefined ? null : record(byMpn);
    },

    async findBySupplierSku(supplier, supplierSku) {
      const skus = [...(bySupplierSku.get(supplierSkuKey(supplier, supplierSku)) ?? [])].sort(compareStrings);
      return skus[0] === undefined ? null : record(skus[0]);
    },

    async skuBySupplierSku(supplier, supplierSku) {
      const skus = [...(bySupplierSku.get(supplierSkuKey(supplier, supplierSku)) ?? [])].sort(compareStrings);
      return skus[0] ?? null;
    },

    async skusBySupplierSkus(refs) {
      return refs.map(({ supplier, supplierSku }) => [...(bySupplierSku.get(supplierSkuKey(supplier, supplierSku)) ?? [])].sort(compareStrings)[0] ?? null);
    },

    async insert(product: NewProduct) {
      checkNewProduct(product);
      const g = gtinKey(product);
      const m = manufacturerMpnKey(product);
      // Same precedence as the MongoDB store when several keys clash: SKU, then GTIN, then (manufacturer, mpn).
      const winner = products.has(product.sku) ? product.sku : (byGtin.get(g) ?? byManufacturerMpn.get(m));
      if (winner !== undefined) return { inserted: false, existing: record(winner)! };
      const at = now();
      products.set(product.sku, {
        sku: product.sku,
        title: product.title,
        brand: product.brand,
        gtin: product.gtin,
        manufacturer: product.manufacturer,
        mpn: product.mpn,
        description: product.description,
        familyId: product.familyId ?? null,
        options: copyOptions(product.options ?? []),
        images: mergeImages([], product.images ?? []),
        categories: mergeCategories([], product.categories ?? []),
        createdAt: at,
        updatedAt: at,
      });
      byGtin.set(g, product.sku);
      byManufacturerMpn.set(m, product.sku);
      for (const mapping of product.suppliers) putMapping(product.sku, mapping, at);
      return { inserted: true, product: record(product.sku)! };
    },

    async upsertSupplierMapping(sku, mapping) {
      checkMapping(mapping);
      if (!products.has(sku)) return null;
      putMapping(sku, mapping, now());
      return record(sku);
    },

    async count() {
      return products.size;
    },

    async familyIdOfSource(source) {
      return familySources.get(sourceKey(source)) ?? null;
    },

    async mergeFamily(family, source) {
      return mergeOneFamily(family, source).id;
    },

    async mergeFamilies(entries) {
      const changed = new Set<string>();
      const familyIds = entries.map(({ family, source }) => {
        const merged = mergeOneFamily(family, source);
        if (merged.changed) changed.add(merged.id);
        return merged.id;
      });
      return { familyIds, changed: [...changed] };
    },

    async getFamilies(ids) {
      return ids.map((id) => {
        const family = families.get(id);
        return family === undefined ? null : { ...family, categories: [...family.categories], images: mergeImages([], family.images), sources: [...family.sources] };
      });
    },

    async variantsOfFamilies(ids, limit) {
      checkPageSize(limit, 500);
      const bySku = [...products.values()].sort((a, b) => compareStrings(a.sku, b.sku));
      return ids.map((id) => bySku.filter((p) => p.familyId === id).slice(0, limit).map((p) => record(p.sku)!));
    },

    async mergeVariantDetails(sku, details) {
      return mergeOneVariant(sku, details) !== 'missing';
    },

    async mergeManyVariantDetails(updates) {
      const changed = new Set<string>();
      const missing: string[] = [];
      for (const { sku, details } of updates) {
        const outcome = mergeOneVariant(sku, details);
        if (outcome === 'missing') missing.push(sku);
        else if (outcome === 'changed') changed.add(sku);
      }
      return { changed: [...changed].map((sku) => ({ sku, familyId: products.get(sku)!.familyId })), missing };
    },

    async clear() {
      products.clear();
      mappings.clear();
      byGtin.clear();
      byManufacturerMpn.clear();
      bySupplierSku.clear();
      families.clear();
      familySources.clear();
    },
  };
}
