/**
 * The merge rule of families on import (docs/storefront.md, "The merge rule"), through importCatalogs — the import
 * production runs — over the embedded catalog store, with connectors that list hand-made catalog pages.
 */
import { describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import type { CatalogItem, CatalogPage, SupplierFamily } from '../../kernel/model.ts';
import { silentLogger } from '../../platform/logger.ts';
import { familyOptions } from './family-options.ts';
import { importCatalogs } from './import-catalog.ts';

const family = (id: string, name: string, extra: Partial<SupplierFamily> = {}): SupplierFamily => ({ id, name, brand: 'Gildan', categories: [], images: [], ...extra });

function item(supplierSku: string, gtin: string | null, extra: Partial<CatalogItem> = {}): CatalogItem {
  return { supplierSku, title: `Tee ${supplierSku}`, brand: 'Gildan', gtin, manufacturer: 'Gildan Activewear', mpn: `MPN-${gtin ?? supplierSku}`, description: null, ...extra };
}

/** A connector that lists `pages` (one per call) and nothing else: the importer only pages catalogs. */
function lister(supplier: string, pages: CatalogItem[][]): SupplierConnector {
  return {
    supplier,
    async listCatalog(cursor: string | null): Promise<CatalogPage> {
      const index = cursor === null ? 0 : Number(cursor);
      return { items: pages[index] ?? [], nextCursor: index + 1 < pages.length ? String(index + 1) : null };
    },
  } as unknown as SupplierConnector;
}

const G = (n: number) => `000000000000${n}`.slice(-14);

describe('families on import', () => {
  it('merges two suppliers\' families that share a variant (GTIN) into one, first supplier\'s name and options winning', async () => {
    const catalog = createMemoryCatalogStore();
    const a = family('S1', 'Gildan Tee', { categories: ['T-Shirt'], images: [{ url: 'https://a.example/s1.jpg', alt: null }] });
    const b = family('gid://shop/Product/9', 'Tee by Gildan', { categories: ['Apparel'], images: [{ url: 'https://b.example/p9.jpg', alt: 'front' }] });
    const connectors = [
      lister('alpha', [[
        item('A1', G(1), { family: a, options: [{ name: 'Size', value: 'S' }] }),
        item('A2', G(2), { family: a, options: [{ name: 'Size', value: 'M' }], images: [{ url: 'https://a.example/a2.jpg', alt: null }] }),
      ]]),
      lister('beta', [[
        item('B2', G(2), { family: b, options: [{ name: 'Größe', value: 'M' }], images: [{ url: 'https://b.example/b2.jpg', alt: null }] }),
        item('B3', G(3), { family: b, options: [{ name: 'Size', value: 'L' }] }),
      ]]),
    ];
    await importCatalogs({ connectors, catalog, log: silentLogger() });
    const [families] = await catalog.variantsOfFamilies(['FAM-ALPHA-S1'], 50);
    expect(families!.map((p) => p.sku)).toEqual([`DS-${G(1)}`, `DS-${G(2)}`, `DS-${G(3)}`]);
    const shared = families![1]!;
    expect(shared.suppliers.map((m) => m.supplier)).toEqual(['alpha', 'beta']);
    expect(shared.options).toEqual([{ name: 'Size', value: 'M' }]);
    expect(shared.images.map((i) => i.url)).toEqual(['https://a.example/a2.jpg', 'https://b.example/b2.jpg']);
    const [merged] = await catalog.getFamilies(['FAM-ALPHA-S1']);
    expect(merged).toMatchObject({ name: 'Gildan Tee', categories: ['T-Shirt', 'Apparel'] });
    expect(merged!.images.map((i) => i.url)).toEqual(['https://a.example/s1.jpg', 'https://b.example/p9.jpg']);
    expect(await catalog.familyIdOfSource({ supplier: 'beta', supplierFamilyId: 'gid://shop/Product/9' })).toBe('FAM-ALPHA-S1');
    expect(familyOptions(families!)).toEqual([{ name: 'Size', values: ['S', 'M', 'L'] }]);
    expect((await catalog.getFamilies(['FAM-BETA-GID-SHOP-PRODUCT-9']))[0]).toBeNull();
  });

  it('merges on manufacturer + MPN when one supplier has no GTIN, and groups nothing for items without a family', async () => {
    const catalog = createMemoryCatalogStore();
    await importCatalogs({
      connectors: [
        lister('alpha', [[item('A1', null, { mpn: 'G-1', family: family('S1', 'Tee') }), item('PEN', G(7))]]),
        lister('beta', [[item('B1', G(1), { mpn: 'g-1 ', family: family('HP-S01', 'Tee') })]]),
      ],
      catalog,
      log: silentLogger(),
    });
    const [tee] = await catalog.variantsOfFamilies(['FAM-ALPHA-S1'], 50);
    expect(tee!.map((p) => [p.sku, p.suppliers.length])).toEqual([['DS-M-GILDAN-ACTIVEWEAR-G-1', 2]]);
    const [pen] = await catalog.getBySkus([`DS-${G(7)}`]);
    expect(pen).toMatchObject({ familyId: null, options: [], images: [] });
  });

  it('a product keeps its first family when a later supplier groups it differently; re-importing changes nothing', async () => {
    const catalog = createMemoryCatalogStore();
    const connectors = [
      lister('alpha', [[item('A1', G(1), { family: family('S1', 'Tee') })], [item('A2', G(2), { family: family('S2', 'Tee 2') })]]),
      // beta's one style holds a variant of each of alpha's styles: it links to the first one it meets.
      lister('beta', [[item('B1', G(1), { family: family('X', 'Mixed') }), item('B2', G(2), { family: family('X', 'Mixed') })]]),
    ];
    await importCatalogs({ connectors, catalog, log: silentLogger() });
    const before = await catalog.list(10, null);
    expect(before.items.map((p) => [p.sku, p.familyId])).toEqual([
      [`DS-${G(1)}`, 'FAM-ALPHA-S1'],
      [`DS-${G(2)}`, 'FAM-ALPHA-S2'],
    ]);
    expect(await catalog.familyIdOfSource({ supplier: 'beta', supplierFamilyId: 'X' })).toBe('FAM-ALPHA-S1');
    await importCatalogs({ connectors, catalog, log: silentLogger() });
    expect((await catalog.list(10, null)).items.map((p) => [p.sku, p.familyId, p.updatedAt])).toEqual(before.items.map((p) => [p.sku, p.familyId, p.updatedAt]));
  });
});
