/**
 * Families (styles) on import: a supplier's own grouping (PromoStandards product → parts, a Brightline style, a
 * maplecart/Shopify product → variants) becomes a canonical family; its variants are canonical products.
 *
 * Merge rule (docs/storefront.md, "Families and variants"): variants are matched across suppliers on GTIN, else
 * manufacturer + MPN (import-catalog.ts). A supplier family is linked once, to
 *   1. the family it is linked to already (an earlier import), else
 *   2. the family of the first of its variants that already belongs to one (another supplier's variant matched), on
 *      whichever page of the catalog that variant comes (createFamilyImport holds the family back until then), else
 *   3. a new family `FAM-<SUPPLIER>-<its id>`, once the catalog has ended.
 * So two suppliers' families with a variant in common become one canonical family, whatever their ids. A product
 * keeps the first family it was given; the first supplier's family name, brand, and variant options stay; images and
 * categories from every supplier are added.
 */
import type { CatalogItem, SupplierFamily } from '../../kernel/model.ts';
import type { CatalogStore, VariantMerge } from '../../platform/ports/catalog-store.ts';

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
  /** That product's family when the item was matched (another supplier's, or an earlier import's); null when none. */
  readonly familyId: string | null;
}

interface Member {
  readonly sku: string;
  readonly item: CatalogItem;
}

/** A supplier family seen on earlier pages, not linked yet: none of its variants so far belonged to a family. */
interface Pending {
  family: SupplierFamily;
  readonly members: Member[];
}

/** Variants merged per store call when the held-back families are written at the end. */
const FINISH_BATCH = 200;

export interface FamilyImport {
  /** Links the page's supplier families that can be decided now and merges their variants' details (in bulk). */
  page(imported: readonly Imported[]): Promise<void>;
  /** Links what is still held back (its styles had no variant in a family anywhere in the catalog): new families. */
  finish(): Promise<void>;
}

/**
 * Families of one supplier's catalog import, page by page, with the same outcome however the catalog is paged. A
 * supplier family already linked (rule 1), or with a variant already in a family (rule 2), is decided on the page it
 * appears; one with neither is held back (its variants in memory) until a later page shows a variant of it in a
 * family, or until the catalog ends (rule 3). Before, the first page decided: a style whose shared variant came on a
 * later page was split in two.
 */
export function createFamilyImport(catalog: CatalogStore, supplier: string): FamilyImport {
  const pending = new Map<string, Pending>();

  async function write(decided: readonly { family: SupplierFamily; proposal: string; members: readonly Member[] }[], alone: readonly Member[]): Promise<void> {
    const merged = decided.length === 0 ? { familyIds: [] as string[] } : await catalog.mergeFamilies(
      decided.map(({ family, proposal }) => ({
        family: { id: proposal, name: family.name, brand: family.brand, categories: family.categories, images: family.images },
        source: { supplier, supplierFamilyId: family.id },
      })),
    );
    const updates = [
      ...decided.flatMap(({ family, members }, i) => members.map((m) => variantMerge(m, merged.familyIds[i]!, family.categories))),
      ...alone.map((m) => variantMerge(m, null, [])),
    ].filter((u) => u !== null);
    if (updates.length > 0) await catalog.mergeManyVariantDetails(updates);
  }

  return {
    async page(imported) {
      const groups = new Map<string, { family: SupplierFamily; members: Member[]; familyOfMember: string | null }>();
      const alone: Member[] = [];
      for (const entry of imported) {
        if (entry.sku === null) continue;
        const member = { sku: entry.sku, item: entry.item };
        const family = entry.item.family;
        if (!family) {
          alone.push(member);
          continue;
        }
        const group = groups.get(family.id) ?? { family, members: [], familyOfMember: null };
        group.members.push(member);
        group.familyOfMember ??= entry.familyId;
        groups.set(family.id, group);
      }
      const list = [...groups.values()];
      const links = await Promise.all(list.map((g) => catalog.familyIdOfSource({ supplier, supplierFamilyId: g.family.id })));
      const decided: { family: SupplierFamily; proposal: string; members: Member[] }[] = [];
      list.forEach((group, i) => {
        const held = pending.get(group.family.id);
        const proposal = links[i] ?? group.familyOfMember;
        if (proposal === null) {
          if (held) held.members.push(...group.members);
          else pending.set(group.family.id, { family: group.family, members: [...group.members] });
          return;
        }
        pending.delete(group.family.id);
        decided.push({ family: held ? joined(held.family, group.family) : group.family, proposal, members: [...(held?.members ?? []), ...group.members] });
      });
      await write(decided, alone);
    },

    async finish() {
      const rest = [...pending.values()];
      pending.clear();
      // In batches, so a catalog of many held-back styles is not one huge store call.
      let batch: typeof rest = [];
      let size = 0;
      for (const held of rest) {
        batch.push(held);
        size += held.members.length;
        if (size >= FINISH_BATCH) {
          await write(batch.map((h) => ({ family: h.family, proposal: newFamilyId(supplier, h.family), members: h.members })), []);
          batch = [];
          size = 0;
        }
      }
      if (batch.length > 0) await write(batch.map((h) => ({ family: h.family, proposal: newFamilyId(supplier, h.family), members: h.members })), []);
    },
  };
}

/** One supplier family as seen on two pages: the first page's name and brand, both pages' categories and images. */
function joined(first: SupplierFamily, later: SupplierFamily): SupplierFamily {
  return {
    ...first,
    categories: [...first.categories, ...later.categories.filter((c) => !first.categories.includes(c))],
    images: [...first.images, ...later.images.filter((i) => !first.images.some((f) => f.url === i.url && f.alt === i.alt))],
  };
}

function variantMerge({ sku, item }: Member, familyId: string | null, familyCategories: readonly string[]): VariantMerge | null {
  const options = item.options ?? [];
  const images = item.images ?? [];
  const categories = item.categories ?? familyCategories;
  if (familyId === null && options.length === 0 && images.length === 0 && categories.length === 0) return null;
  return { sku, details: { familyId, options, images, categories } };
}
