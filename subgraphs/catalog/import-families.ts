/**
 * Families (styles) on import: a supplier's own grouping (PromoStandards product → parts, a Brightline style, a
 * maplecart/Shopify product → variants) becomes a canonical family; its variants are canonical products.
 *
 * Merge rule (docs/storefront.md, "Families and variants"): variants are matched across suppliers on GTIN, else
 * manufacturer + MPN (import-catalog.ts). A supplier family is linked once, to
 *   1. the family it is linked to already (an earlier import), else
 *   2. the family of the first of its variants that already belongs to one (another supplier's variant matched), else
 *   3. a new family `FAM-<SUPPLIER>-<its id>`.
 * So two suppliers' families with a variant in common become one canonical family, whatever their ids. A product
 * keeps the first family it was given; the first supplier's family name, brand, and variant options stay; images and
 * categories from every supplier are added.
 */
import type { CatalogItem, SupplierFamily } from '../../kernel/model.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';

const slug = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toUpperCase();

/** The id of a family first seen at this supplier: stable across imports, so re-importing is idempotent. */
export function newFamilyId(supplier: string, family: Pick<SupplierFamily, 'id'>): string {
  return `FAM-${slug(supplier)}-${slug(family.id)}`;
}

interface Imported {
  readonly item: CatalogItem;
  /** The canonical product it landed on; null when unmatchable (it has no product to group). */
  readonly sku: string | null;
}

/** Links each supplier family of one page to a canonical family and merges every variant's details. */
export async function importFamilies(catalog: CatalogStore, supplier: string, imported: readonly Imported[]): Promise<void> {
  const groups = new Map<string, { family: SupplierFamily; members: Imported[] }>();
  const alone: Imported[] = [];
  for (const entry of imported) {
    if (entry.sku === null) continue;
    const family = entry.item.family;
    if (!family) {
      alone.push(entry);
      continue;
    }
    const group = groups.get(family.id) ?? { family, members: [] };
    group.members.push(entry);
    groups.set(family.id, group);
  }
  for (const { family, members } of groups.values()) {
    const source = { supplier, supplierFamilyId: family.id };
    let familyId = await catalog.familyIdOfSource(source);
    if (familyId === null) {
      const products = await catalog.getBySkus(members.map((m) => m.sku!));
      familyId = products.find((p) => p?.familyId)?.familyId ?? newFamilyId(supplier, family);
    }
    familyId = await catalog.mergeFamily(
      { id: familyId, name: family.name, brand: family.brand, categories: family.categories, images: family.images },
      source,
    );
    for (const { item, sku } of members) await mergeDetails(catalog, sku!, item, familyId, family.categories);
  }
  for (const { item, sku } of alone) await mergeDetails(catalog, sku!, item, null, []);
}

async function mergeDetails(catalog: CatalogStore, sku: string, item: CatalogItem, familyId: string | null, familyCategories: readonly string[]): Promise<void> {
  const options = item.options ?? [];
  const images = item.images ?? [];
  const categories = item.categories ?? familyCategories;
  if (familyId === null && options.length === 0 && images.length === 0 && categories.length === 0) return;
  await catalog.mergeVariantDetails(sku, { familyId, options, images, categories });
}
