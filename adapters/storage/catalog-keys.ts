import { registryError } from '../../kernel/errors.ts';
import type { ProductImage, ProductOption } from '../../kernel/model.ts';
import type { NewProduct, ProductRecord, SupplierSkuMapping } from '../../platform/ports/catalog-store.ts';

/**
 * Uniqueness keys for products, shared by every CatalogStore so they agree on what "the same product" means.
 *
 * Each key is always present: the real identifier when the product has one, otherwise a per-product sentinel
 * (`none:<sku>`). That keeps plain unique indexes correct everywhere: MongoDB would treat every missing field as one
 * `null` (so only one product without a GTIN), while FerretDB 1.24 on SQLite treats missing fields as distinct and
 * does not implement partial indexes at all. Prefixes keep real keys and sentinels from ever colliding.
 */
export function gtinKey(product: { sku: string; gtin: string | null }): string {
  const gtin = blankToNull(product.gtin);
  return gtin === null ? `none:${product.sku}` : `g:${gtin}`;
}

/** Case-insensitive (and trimmed): suppliers spell manufacturers and part numbers inconsistently. */
export function manufacturerMpnKey(product: { sku: string; manufacturer: string | null; mpn: string | null }): string {
  const key = identifierManufacturerMpnKey(product.manufacturer, product.mpn);
  return key ?? `none:${product.sku}`;
}

export function identifierGtinKey(gtin: string | null): string | null {
  const value = blankToNull(gtin);
  return value === null ? null : `g:${value}`;
}

export function identifierManufacturerMpnKey(manufacturer: string | null, mpn: string | null): string | null {
  const m = blankToNull(manufacturer);
  const p = blankToNull(mpn);
  // U+001F (unit separator) cannot appear in a sane manufacturer name, so "a b"+"c" never equals "a"+"b c".
  return m === null || p === null ? null : `m:${m.toLowerCase()}\u001f${p.toLowerCase()}`;
}

function blankToNull(value: string | null): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function checkNewProduct(product: NewProduct): void {
  if (typeof product.sku !== 'string' || product.sku.trim() === '') {
    throw registryError('INVALID_INPUT', 'A product needs a non-empty sku', { details: { field: 'sku' } });
  }
  const seen = new Set<string>();
  for (const mapping of product.suppliers) {
    checkMapping(mapping);
    if (seen.has(mapping.supplier)) {
      // One supplier SKU per (product, supplier): stock is kept per (product, supplier) too.
      throw registryError('INVALID_INPUT', 'A product maps at most one SKU per supplier', {
        details: { sku: product.sku, supplier: mapping.supplier },
      });
    }
    seen.add(mapping.supplier);
  }
}

export function checkMapping(mapping: SupplierSkuMapping): void {
  if (!mapping.supplier || !mapping.supplierSku) {
    throw registryError('INVALID_INPUT', 'A supplier mapping needs supplier and supplierSku', { details: { field: 'suppliers' } });
  }
}

/** Stable order for `ProductRecord.suppliers`, whatever order mappings were written in. */
export function sortMappings(mappings: readonly SupplierSkuMapping[]): SupplierSkuMapping[] {
  return [...mappings]
    .map((m) => ({ supplier: m.supplier, supplierSku: m.supplierSku }))
    .sort((a, b) => compareStrings(a.supplier, b.supplier) || compareStrings(a.supplierSku, b.supplierSku));
}

/** Code-point order, which is also the order MongoDB uses for plain (non-collated) string comparison of ASCII. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface StoredMapping {
  readonly supplier: string;
  readonly supplierSku: string;
  readonly updatedAt: string;
}

/**
 * A product as callers see it. Mappings are stored apart from the product (one record per (sku, supplier)) so
 * concurrent mapping writes never rewrite each other; the product's `updatedAt` is the latest of both.
 */
export function assembleProduct(
  // Products stored before families existed lack the variant details: they read as none.
  base: Omit<ProductRecord, 'suppliers' | 'familyId' | 'options' | 'images' | 'categories'> & Partial<Pick<ProductRecord, 'familyId' | 'options' | 'images' | 'categories'>>,
  mappings: readonly StoredMapping[],
): ProductRecord {
  let updatedAt = base.updatedAt;
  for (const m of mappings) if (m.updatedAt > updatedAt) updatedAt = m.updatedAt;
  return {
    sku: base.sku,
    title: base.title,
    brand: base.brand,
    gtin: base.gtin,
    manufacturer: base.manufacturer,
    mpn: base.mpn,
    description: base.description,
    suppliers: sortMappings(mappings),
    familyId: base.familyId ?? null,
    options: base.options ?? [],
    images: base.images ?? [],
    categories: base.categories ?? [],
    createdAt: base.createdAt,
    updatedAt,
  };
}

/**
 * `current` plus the images of `more` it lacks, first seen first: the merge rule of every store. An image is its
 * (url, alt) pair, as MongoDB's `$addToSet` compares them.
 */
export function mergeImages(current: readonly ProductImage[], more: readonly ProductImage[]): ProductImage[] {
  const key = (i: ProductImage): string => `${i.url}\u0000${i.alt ?? '\u0001'}`;
  const out: ProductImage[] = [];
  const seen = new Set<string>();
  for (const image of [...current, ...more]) {
    if (seen.has(key(image))) continue;
    seen.add(key(image));
    out.push({ url: image.url, alt: image.alt });
  }
  return out;
}

/** `current` plus the categories of `more` it lacks (exact text), first seen first. */
export function mergeCategories(current: readonly string[], more: readonly string[]): string[] {
  const out = [...current];
  for (const category of more) if (!out.includes(category)) out.push(category);
  return out;
}

export function copyOptions(options: readonly ProductOption[]): ProductOption[] {
  return options.map((o) => ({ name: o.name, value: o.value }));
}
