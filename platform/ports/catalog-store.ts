/** Port: canonical products, their families and their supplier SKU mappings (MongoDB in production, in-memory embedded). */
import type { ProductImage, ProductOption } from '../../kernel/model.ts';

export interface SupplierSkuMapping {
  readonly supplier: string;
  readonly supplierSku: string;
}

export interface ProductRecord {
  /** Canonical SKU, the key of Product across the graph. */
  readonly sku: string;
  readonly title: string;
  readonly brand: string | null;
  /** GTIN-14; unique across products when present. */
  readonly gtin: string | null;
  readonly manufacturer: string | null;
  /** Manufacturer part number; (manufacturer, mpn) unique when both present. */
  readonly mpn: string | null;
  readonly description: string | null;
  readonly suppliers: readonly SupplierSkuMapping[];
  /** The canonical family (style) this variant belongs to; null when no supplier groups it. */
  readonly familyId: string | null;
  /** Name/value options that set this variant apart in its family (first supplier to give any wins). */
  readonly options: readonly ProductOption[];
  /** Images from every supplier carrying it, in the order they were first seen (no duplicate URLs). */
  readonly images: readonly ProductImage[];
  /** Categories from every supplier carrying it (no duplicates). */
  readonly categories: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

type VariantDetails = 'familyId' | 'options' | 'images' | 'categories';
export type NewProduct = Omit<ProductRecord, 'createdAt' | 'updatedAt' | VariantDetails> & Partial<Pick<ProductRecord, VariantDetails>>;
export type VariantDetailsUpdate = Pick<ProductRecord, VariantDetails>;

/** A supplier's own family (PromoStandards productId, a style number, a Shopify product), as linked to a canonical one. */
export interface FamilySource {
  readonly supplier: string;
  readonly supplierFamilyId: string;
}

/** A canonical product family (style): what its variants share. */
export interface FamilyRecord {
  readonly id: string;
  /** The first linked supplier's name for it. */
  readonly name: string;
  readonly brand: string | null;
  /** Every linked supplier's categories (no duplicates, first seen first). */
  readonly categories: readonly string[];
  /** Every linked supplier's family images (no duplicate URLs, first seen first). */
  readonly images: readonly ProductImage[];
  readonly sources: readonly FamilySource[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewFamily = Pick<FamilyRecord, 'id' | 'name' | 'brand' | 'categories' | 'images'>;

/** One supplier family to link and merge (`mergeFamilies`): `family.id` is the id proposed if the source is unlinked. */
export interface FamilyMerge {
  readonly family: NewFamily;
  readonly source: FamilySource;
}

export interface FamiliesMerged {
  /** Per entry, in order: the family its source is linked to (another writer's, when one linked it first). */
  readonly familyIds: readonly string[];
  /** Families whose stored record changed (created, a source linked, categories or images added), once each. */
  readonly changed: readonly string[];
}

export interface VariantMerge {
  readonly sku: string;
  readonly details: VariantDetailsUpdate;
}

export interface VariantsMerged {
  /** Products whose stored record changed, once each, with the family each belongs to afterwards. */
  readonly changed: readonly { readonly sku: string; readonly familyId: string | null }[];
  /** SKUs of the updates that name no product. */
  readonly missing: readonly string[];
}

export interface ProductPage {
  readonly items: readonly ProductRecord[];
  /** Opaque; pass as `after` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface CatalogStore {
  /** Products in the order of `skus`; null where unknown. */
  getBySkus(skus: readonly string[]): Promise<(ProductRecord | null)[]>;
  /** Stable order by canonical SKU; `after` is a previous page's `nextCursor`. `first` is 1..500. */
  list(first: number, after: string | null): Promise<ProductPage>;
  /** The product holding this GTIN, else the one holding (manufacturer, mpn) — compared case-insensitively. */
  findByIdentifiers(ids: { gtin: string | null; manufacturer: string | null; mpn: string | null }): Promise<ProductRecord | null>;
  findBySupplierSku(supplier: string, supplierSku: string): Promise<ProductRecord | null>;
  /**
   * The canonical SKU of a product mapped to this supplier SKU, null when none (when several products map it: one of
   * them). The hot-path lookup of webhook ingest: it does not assemble the product, and MongoDB answers a mapped
   * SKU with exact `_id` reads only.
   */
  skuBySupplierSku(supplier: string, supplierSku: string): Promise<string | null>;
  /**
   * `skuBySupplierSku` for many supplier SKUs in one call, in the order of `refs` (a repeat answers the same): the
   * listing maps a burst of cached offers to products with one store call (stack/listing-offers.ts).
   */
  skusBySupplierSkus(refs: readonly { readonly supplier: string; readonly supplierSku: string }[]): Promise<(string | null)[]>;
  /**
   * Inserts a product. Resolves `{ inserted: false, existing }` instead of throwing when another writer won the race
   * on the SKU, GTIN or (manufacturer, mpn) unique key, so the importer can merge into the winner.
   */
  insert(product: NewProduct): Promise<{ inserted: true; product: ProductRecord } | { inserted: false; existing: ProductRecord }>;
  /** Adds (or re-points) one supplier mapping on a product; idempotent. Null when the product does not exist. */
  upsertSupplierMapping(sku: string, mapping: SupplierSkuMapping): Promise<ProductRecord | null>;
  count(): Promise<number>;
  /** The canonical family a supplier family is linked to, null when it is not linked yet. */
  familyIdOfSource(source: FamilySource): Promise<string | null>;
  /**
   * Creates the family when absent (the first writer's name and brand stay), adds the categories and images it
   * lacks, and links `source` to it unless the source is linked already. Resolves the family the source is linked to
   * (another writer's, when one linked it first), whose details then received the merge.
   */
  mergeFamily(family: NewFamily, source: FamilySource): Promise<string>;
  /** Families in the order of `ids`; null where unknown. */
  getFamilies(ids: readonly string[]): Promise<(FamilyRecord | null)[]>;
  /** Each family's variants ordered by canonical SKU, at most `limit` (1..500) each, in the order of `ids`. */
  variantsOfFamilies(ids: readonly string[], limit: number): Promise<ProductRecord[][]>;
  /**
   * Merges a supplier's variant details into a product: the family and the options only when it has none yet (first
   * supplier wins), images and categories it lacks are appended. False when the product does not exist.
   */
  mergeVariantDetails(sku: string, details: VariantDetailsUpdate): Promise<boolean>;
  /**
   * `mergeFamily` for many supplier families in one call (an import page): each entry's source is linked and its
   * family merged by the same rules, entries in order (a source given twice is linked by its first entry). A few
   * store commands per call, not a few per family. Says which families' stored records changed, for announcements.
   */
  mergeFamilies(entries: readonly FamilyMerge[]): Promise<FamiliesMerged>;
  /**
   * `mergeVariantDetails` for many products in one call (an import page), by the same rules, updates in order (a SKU
   * given twice merges both). A few store commands per call, not a few per variant. Says which products' stored
   * records changed (with the family each belongs to afterwards), for announcements; SKUs without a product are missing.
   */
  mergeManyVariantDetails(updates: readonly VariantMerge[]): Promise<VariantsMerged>;
  /** Removes everything; tests and `npm start --reset` only. */
  clear(): Promise<void>;
}
