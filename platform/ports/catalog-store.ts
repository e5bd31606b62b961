/** Port: canonical products and their supplier SKU mappings (MongoDB in production, in-memory embedded). */

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
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewProduct = Omit<ProductRecord, 'createdAt' | 'updatedAt'>;

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
   * Inserts a product. Resolves `{ inserted: false, existing }` instead of throwing when another writer won the race
   * on the SKU, GTIN or (manufacturer, mpn) unique key, so the importer can merge into the winner.
   */
  insert(product: NewProduct): Promise<{ inserted: true; product: ProductRecord } | { inserted: false; existing: ProductRecord }>;
  /** Adds (or re-points) one supplier mapping on a product; idempotent. Null when the product does not exist. */
  upsertSupplierMapping(sku: string, mapping: SupplierSkuMapping): Promise<ProductRecord | null>;
  count(): Promise<number>;
  /** Removes everything; tests and `npm start --reset` only. */
  clear(): Promise<void>;
}
