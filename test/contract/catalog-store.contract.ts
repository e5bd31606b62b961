/**
 * One contract for every CatalogStore (in-memory, MongoDB / FerretDB). The concurrency cases fire real parallel
 * writes: against a server they race at the server, and they fail if uniqueness is checked before writing instead
 * of by the write itself, or if mapping writes rewrite each other.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogStore, NewProduct } from '../../platform/ports/catalog-store.ts';
import { expectRegistryCode } from './registry-error-assert.ts';

export type CatalogStoreFactory = () => Promise<CatalogStore>;

export function newProduct(sku: string, overrides: Partial<NewProduct> = {}): NewProduct {
  return {
    sku,
    title: `Product ${sku}`,
    brand: 'Acme',
    gtin: null,
    manufacturer: null,
    mpn: null,
    description: null,
    suppliers: [],
    ...overrides,
  };
}

export function describeCatalogStoreContract(name: string, make: CatalogStoreFactory): void {
  describe(`CatalogStore contract: ${name}`, () => {
    let store: CatalogStore;

    beforeAll(async () => {
      store = await make();
    });

    beforeEach(async () => {
      await store.clear();
    });

    it('inserts a product and reads it back with timestamps and sorted supplier mappings', async () => {
      const result = await store.insert(
        newProduct('SKU-1', {
          gtin: '00012345678905',
          manufacturer: 'Acme Corp',
          mpn: 'AC-100',
          description: 'A widget',
          suppliers: [
            { supplier: 'zeta', supplierSku: 'Z-1' },
            { supplier: 'alpha', supplierSku: 'A-1' },
          ],
        }),
      );
      expect(result.inserted).toBe(true);
      const [read, missing] = await store.getBySkus(['SKU-1', 'NOPE']);
      expect(missing).toBeNull();
      expect(read).toMatchObject({
        sku: 'SKU-1',
        title: 'Product SKU-1',
        brand: 'Acme',
        gtin: '00012345678905',
        manufacturer: 'Acme Corp',
        mpn: 'AC-100',
        description: 'A widget',
        suppliers: [
          { supplier: 'alpha', supplierSku: 'A-1' },
          { supplier: 'zeta', supplierSku: 'Z-1' },
        ],
      });
      expect(Number.isNaN(Date.parse(read!.createdAt))).toBe(false);
      expect(read!.updatedAt >= read!.createdAt).toBe(true);
      if (result.inserted) expect(result.product).toEqual(read);
    });

    it('answers getBySkus in the order asked, repeats included', async () => {
      await store.insert(newProduct('B'));
      await store.insert(newProduct('A'));
      const read = await store.getBySkus(['B', 'X', 'A', 'B']);
      expect(read.map((p) => p?.sku ?? null)).toEqual(['B', null, 'A', 'B']);
      expect(await store.getBySkus([])).toEqual([]);
    });

    it('refuses a second product with the same SKU and returns the existing one', async () => {
      await store.insert(newProduct('SKU-1', { title: 'first' }));
      const again = await store.insert(newProduct('SKU-1', { title: 'second' }));
      expect(again.inserted).toBe(false);
      if (!again.inserted) expect(again.existing.title).toBe('first');
      expect(await store.count()).toBe(1);
    });

    it('keeps GTINs unique across products', async () => {
      await store.insert(newProduct('SKU-1', { gtin: '00012345678905' }));
      const clash = await store.insert(newProduct('SKU-2', { gtin: '00012345678905' }));
      expect(clash).toMatchObject({ inserted: false, existing: { sku: 'SKU-1' } });
      expect(await store.count()).toBe(1);
    });

    it('keeps (manufacturer, mpn) unique, compared case-insensitively', async () => {
      await store.insert(newProduct('SKU-1', { manufacturer: 'Acme Corp', mpn: 'ac-100' }));
      const clash = await store.insert(newProduct('SKU-2', { manufacturer: 'ACME CORP', mpn: 'AC-100' }));
      expect(clash).toMatchObject({ inserted: false, existing: { sku: 'SKU-1' } });
      // The same part number from another manufacturer is another product.
      expect((await store.insert(newProduct('SKU-3', { manufacturer: 'Other', mpn: 'AC-100' }))).inserted).toBe(true);
    });

    it('lets any number of products go without GTIN or without (manufacturer, mpn)', async () => {
      // Regression guard: a plain unique index on an absent field lets MongoDB store only one such product.
      for (const sku of ['N-1', 'N-2', 'N-3']) expect((await store.insert(newProduct(sku))).inserted).toBe(true);
      expect((await store.insert(newProduct('M-1', { manufacturer: 'Acme' }))).inserted).toBe(true);
      expect((await store.insert(newProduct('M-2', { manufacturer: 'Acme' }))).inserted).toBe(true);
      expect((await store.insert(newProduct('P-1', { mpn: 'X1' }))).inserted).toBe(true);
      expect((await store.insert(newProduct('P-2', { mpn: 'X1', gtin: '' }))).inserted).toBe(true);
      expect(await store.count()).toBe(7);
    });

    it('finds by GTIN first, then by (manufacturer, mpn) case-insensitively', async () => {
      await store.insert(newProduct('BY-GTIN', { gtin: '00000000000017' }));
      await store.insert(newProduct('BY-MPN', { manufacturer: 'Globex', mpn: 'G-7' }));
      expect(
        (await store.findByIdentifiers({ gtin: '00000000000017', manufacturer: 'Globex', mpn: 'G-7' }))?.sku,
      ).toBe('BY-GTIN');
      expect((await store.findByIdentifiers({ gtin: '00000000000099', manufacturer: 'globex', mpn: 'g-7' }))?.sku).toBe('BY-MPN');
      expect(await store.findByIdentifiers({ gtin: null, manufacturer: 'Globex', mpn: null })).toBeNull();
      expect(await store.findByIdentifiers({ gtin: null, manufacturer: null, mpn: null })).toBeNull();
    });

    it('adds, re-points and idempotently repeats supplier mappings', async () => {
      await store.insert(newProduct('SKU-1', { suppliers: [{ supplier: 'rest', supplierSku: 'R-1' }] }));
      const added = await store.upsertSupplierMapping('SKU-1', { supplier: 'soap', supplierSku: 'S-1' });
      expect(added?.suppliers).toEqual([
        { supplier: 'rest', supplierSku: 'R-1' },
        { supplier: 'soap', supplierSku: 'S-1' },
      ]);
      const repointed = await store.upsertSupplierMapping('SKU-1', { supplier: 'rest', supplierSku: 'R-2' });
      expect(repointed?.suppliers).toEqual([
        { supplier: 'rest', supplierSku: 'R-2' },
        { supplier: 'soap', supplierSku: 'S-1' },
      ]);
      expect(await store.findBySupplierSku('rest', 'R-1')).toBeNull();
      expect((await store.findBySupplierSku('rest', 'R-2'))?.sku).toBe('SKU-1');
      expect(await store.findBySupplierSku('soap', 'R-2')).toBeNull();
      const again = await store.upsertSupplierMapping('SKU-1', { supplier: 'rest', supplierSku: 'R-2' });
      expect(again).toEqual(repointed);
      expect(await store.upsertSupplierMapping('MISSING', { supplier: 'rest', supplierSku: 'R-9' })).toBeNull();
    });

    it('refuses a new product that maps two SKUs of one supplier', async () => {
      await expectRegistryCode(
        store.insert(newProduct('SKU-1', { suppliers: [{ supplier: 'rest', supplierSku: 'A' }, { supplier: 'rest', supplierSku: 'B' }] })),
        'INVALID_INPUT',
      );
    });

    it('lists by canonical SKU in pages with opaque cursors', async () => {
      const skus = ['S-05', 'S-01', 'S-07', 'S-03', 'S-02', 'S-06', 'S-04'];
      for (const sku of skus) await store.insert(newProduct(sku));
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await store.list(3, after);
        seen.push(...page.items.map((p) => p.sku));
        after = page.nextCursor;
        pages += 1;
      } while (after !== null && pages < 10);
      expect(seen).toEqual([...skus].sort());
      expect(pages).toBe(3);
      expect((await store.list(7, null)).nextCursor).toBeNull();
      await expectRegistryCode(store.list(3, 'not-a-cursor'), 'INVALID_INPUT');
      await expectRegistryCode(() => store.list(0, null), 'INVALID_INPUT');
      await expectRegistryCode(() => store.list(501, null), 'INVALID_INPUT');
    });

    it('counts and clears', async () => {
      await store.insert(newProduct('A', { gtin: '00000000000017', suppliers: [{ supplier: 'rest', supplierSku: 'R' }] }));
      await store.insert(newProduct('B'));
      expect(await store.count()).toBe(2);
      await store.clear();
      expect(await store.count()).toBe(0);
      expect(await store.findBySupplierSku('rest', 'R')).toBeNull();
      // The unique keys are gone too.
      expect((await store.insert(newProduct('C', { gtin: '00000000000017' }))).inserted).toBe(true);
    });

    it('hands out copies: mutating a result does not change the store', async () => {
      await store.insert(newProduct('A', { suppliers: [{ supplier: 'rest', supplierSku: 'R' }] }));
      const [read] = await store.getBySkus(['A']);
      (read as { title: string }).title = 'mutated';
      (read!.suppliers as { supplier: string; supplierSku: string }[]).push({ supplier: 'x', supplierSku: 'y' });
      const [again] = await store.getBySkus(['A']);
      expect(again?.title).toBe('Product A');
      expect(again?.suppliers).toHaveLength(1);
    });

    it('concurrency: 20 simultaneous inserts of one GTIN make exactly one product', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.insert(newProduct(`RACE-${i}`, { gtin: '00099999999999' }))),
      );
      const winners = results.filter((r) => r.inserted);
      expect(winners).toHaveLength(1);
      const winnerSku = winners[0]!.inserted ? winners[0]!.product.sku : '';
      for (const r of results) if (!r.inserted) expect(r.existing.sku).toBe(winnerSku);
      expect(await store.count()).toBe(1);
    });

    it('concurrency: simultaneous inserts of one (manufacturer, mpn) in different cases make one product', async () => {
      const results = await Promise.all(
        ['acme', 'ACME', 'Acme', 'aCmE', 'acmE', 'ACme'].map((manufacturer, i) =>
          store.insert(newProduct(`MPN-${i}`, { manufacturer, mpn: i % 2 === 0 ? 'x-1' : 'X-1' })),
        ),
      );
      expect(results.filter((r) => r.inserted)).toHaveLength(1);
      expect(await store.count()).toBe(1);
    });

    it('concurrency: simultaneous mapping writes for different suppliers keep every mapping', async () => {
      await store.insert(newProduct('HUB'));
      const suppliers = Array.from({ length: 12 }, (_, i) => `supplier-${String(i).padStart(2, '0')}`);
      await Promise.all(suppliers.map((supplier) => store.upsertSupplierMapping('HUB', { supplier, supplierSku: `${supplier}-sku` })));
      const [hub] = await store.getBySkus(['HUB']);
      expect(hub?.suppliers).toEqual(suppliers.map((supplier) => ({ supplier, supplierSku: `${supplier}-sku` })));
    });

    it('concurrency: simultaneous re-points of one supplier leave exactly one mapping for it', async () => {
      await store.insert(newProduct('HUB'));
      const skus = Array.from({ length: 10 }, (_, i) => `R-${i}`);
      await Promise.all(skus.map((supplierSku) => store.upsertSupplierMapping('HUB', { supplier: 'rest', supplierSku })));
      const [hub] = await store.getBySkus(['HUB']);
      expect(hub?.suppliers).toHaveLength(1);
      expect(skus).toContain(hub!.suppliers[0]!.supplierSku);
    });

    it('resolves a supplier SKU to the canonical SKU mapped to it, null when none (skuBySupplierSku)', async () => {
      await store.insert(newProduct('SKU-1', { suppliers: [{ supplier: 'rest', supplierSku: 'R-1' }] }));
      await store.upsertSupplierMapping('SKU-1', { supplier: 'soap', supplierSku: 'S-1' });
      expect(await store.skuBySupplierSku('rest', 'R-1')).toBe('SKU-1');
      expect(await store.skuBySupplierSku('soap', 'S-1')).toBe('SKU-1');
      expect(await store.skuBySupplierSku('rest', 'R-1')).toBe('SKU-1'); // a repeat answers the same
      expect(await store.skuBySupplierSku('rest', 'NOPE')).toBeNull();
      expect(await store.skuBySupplierSku('soap', 'R-1')).toBeNull(); // the supplier is part of the key
      expect(await store.skuBySupplierSku('rest', 'SKU-1')).toBeNull(); // a canonical SKU is not a supplier SKU
      await store.clear();
      expect(await store.skuBySupplierSku('rest', 'R-1')).toBeNull();
    });

    it('skuBySupplierSku follows re-pointed mappings: the new answer, never the old one', async () => {
      await store.insert(newProduct('A', { suppliers: [{ supplier: 'rest', supplierSku: 'X' }] }));
      await store.insert(newProduct('B', { suppliers: [{ supplier: 'rest', supplierSku: 'Y' }] }));
      expect(await store.skuBySupplierSku('rest', 'X')).toBe('A');
      await store.upsertSupplierMapping('A', { supplier: 'rest', supplierSku: 'X2' });
      expect(await store.skuBySupplierSku('rest', 'X')).toBeNull();
      expect(await store.skuBySupplierSku('rest', 'X2')).toBe('A');
      // The supplier SKU moves to another product.
      await store.upsertSupplierMapping('B', { supplier: 'rest', supplierSku: 'X' });
      expect(await store.skuBySupplierSku('rest', 'X')).toBe('B');
      expect(await store.skuBySupplierSku('rest', 'Y')).toBeNull();
      // Two products share a supplier SKU; the last one written leaves it: the other one answers, again and again.
      await store.insert(newProduct('C', { suppliers: [{ supplier: 'rest', supplierSku: 'Z' }] }));
      await store.upsertSupplierMapping('D', { supplier: 'rest', supplierSku: 'Z' }); // no product D: nothing written
      await store.insert(newProduct('E', { suppliers: [{ supplier: 'rest', supplierSku: 'Z' }] }));
      expect(['C', 'E']).toContain(await store.skuBySupplierSku('rest', 'Z'));
      await store.upsertSupplierMapping('E', { supplier: 'rest', supplierSku: 'Z2' });
      expect(await store.skuBySupplierSku('rest', 'Z')).toBe('C');
      expect(await store.skuBySupplierSku('rest', 'Z')).toBe('C');
      expect(await store.skuBySupplierSku('rest', 'Z2')).toBe('E');
      await store.upsertSupplierMapping('C', { supplier: 'rest', supplierSku: 'Z3' });
      expect(await store.skuBySupplierSku('rest', 'Z')).toBeNull();
    });

    it('skusBySupplierSkus answers many supplier SKUs in the order asked, like skuBySupplierSku one by one', async () => {
      await store.insert(newProduct('SKU-1', { suppliers: [{ supplier: 'rest', supplierSku: 'R-1' }] }));
      await store.upsertSupplierMapping('SKU-1', { supplier: 'soap', supplierSku: 'S-1' });
      await store.insert(newProduct('SKU-2', { suppliers: [{ supplier: 'rest', supplierSku: 'R-2' }] }));
      const refs = [
        { supplier: 'soap', supplierSku: 'S-1' },
        { supplier: 'rest', supplierSku: 'NOPE' },
        { supplier: 'rest', supplierSku: 'R-2' },
        { supplier: 'soap', supplierSku: 'R-1' }, // the supplier is part of the key
        { supplier: 'rest', supplierSku: 'R-1' },
        { supplier: 'soap', supplierSku: 'S-1' }, // a repeat answers the same
      ];
      expect(await store.skusBySupplierSkus(refs)).toEqual(['SKU-1', null, 'SKU-2', null, 'SKU-1', 'SKU-1']);
      expect(await store.skusBySupplierSkus([])).toEqual([]);
      // Re-pointed: the new answer, never the old one.
      await store.upsertSupplierMapping('SKU-2', { supplier: 'rest', supplierSku: 'R-1' });
      await store.upsertSupplierMapping('SKU-1', { supplier: 'rest', supplierSku: 'R-9' });
      expect(await store.skusBySupplierSkus([{ supplier: 'rest', supplierSku: 'R-1' }, { supplier: 'rest', supplierSku: 'R-2' }, { supplier: 'rest', supplierSku: 'R-9' }])).toEqual(['SKU-2', null, 'SKU-1']);
      // Past the adapters' lookups in flight at once: every answer in its place.
      const many = Array.from({ length: 40 }, (_, i) => `M-${String(i).padStart(2, '0')}`);
      for (const [i, supplierSku] of many.entries()) if (i % 2 === 0) await store.upsertSupplierMapping('SKU-2', { supplier: `s${i}`, supplierSku });
      expect(await store.skusBySupplierSkus(many.map((supplierSku, i) => ({ supplier: `s${i}`, supplierSku })))).toEqual(many.map((_, i) => (i % 2 === 0 ? 'SKU-2' : null)));
    });

    it('concurrency: mappings for different suppliers written simultaneously are all resolvable', async () => {
      await store.insert(newProduct('HUB'));
      const suppliers = Array.from({ length: 12 }, (_, i) => `supplier-${String(i).padStart(2, '0')}`);
      await Promise.all([
        ...suppliers.map((supplier) => store.upsertSupplierMapping('HUB', { supplier, supplierSku: `${supplier}-sku` })),
        ...suppliers.map((supplier, i) => store.insert(newProduct(`P-${i}`, { suppliers: [{ supplier, supplierSku: `P-${i}-sku` }] }))),
      ]);
      const hub = await Promise.all(suppliers.map((supplier) => store.skuBySupplierSku(supplier, `${supplier}-sku`)));
      expect(hub).toEqual(suppliers.map(() => 'HUB'));
      const own = await Promise.all(suppliers.map((supplier, i) => store.skuBySupplierSku(supplier, `P-${i}-sku`)));
      expect(own).toEqual(suppliers.map((_, i) => `P-${i}`));
    });

    it('concurrency: after simultaneous re-points of one supplier only the surviving supplier SKU resolves', async () => {
      await store.insert(newProduct('HUB'));
      const skus = Array.from({ length: 10 }, (_, i) => `R-${i}`);
      await Promise.all(skus.map((supplierSku) => store.upsertSupplierMapping('HUB', { supplier: 'rest', supplierSku })));
      const [hub] = await store.getBySkus(['HUB']);
      const survivor = hub!.suppliers[0]!.supplierSku;
      const answers = await Promise.all(skus.map((supplierSku) => store.skuBySupplierSku('rest', supplierSku)));
      expect(answers).toEqual(skus.map((supplierSku) => (supplierSku === survivor ? 'HUB' : null)));
    });

    describe('families and variants', () => {
      const tee = { id: 'FAM-A-STYLE-1', name: 'Gildan T-Shirt', brand: 'Gildan', categories: ['T-Shirt'], images: [{ url: 'https://a.example/s1.jpg', alt: 'front' }] };

      it('creates a family, links a second supplier to it, and keeps the first name while adding categories and images', async () => {
        expect(await store.familyIdOfSource({ supplier: 'a', supplierFamilyId: 'style-1' })).toBeNull();
        expect(await store.mergeFamily(tee, { supplier: 'a', supplierFamilyId: 'style-1' })).toBe('FAM-A-STYLE-1');
        const second = { id: 'FAM-A-STYLE-1', name: 'T-shirt (b)', brand: 'GILDAN', categories: ['T-Shirt', 'Apparel'], images: [{ url: 'https://b.example/x.jpg', alt: null }, { url: 'https://a.example/s1.jpg', alt: 'front' }] };
        expect(await store.mergeFamily(second, { supplier: 'b', supplierFamilyId: 'HP-S01' })).toBe('FAM-A-STYLE-1');
        expect(await store.familyIdOfSource({ supplier: 'b', supplierFamilyId: 'HP-S01' })).toBe('FAM-A-STYLE-1');
        const [family, missing] = await store.getFamilies(['FAM-A-STYLE-1', 'NOPE']);
        expect(missing).toBeNull();
        expect(family).toMatchObject({ id: 'FAM-A-STYLE-1', name: 'Gildan T-Shirt', brand: 'Gildan', categories: ['T-Shirt', 'Apparel'] });
        expect(family!.images).toEqual([{ url: 'https://a.example/s1.jpg', alt: 'front' }, { url: 'https://b.example/x.jpg', alt: null }]);
        expect([...family!.sources].sort((x, y) => x.supplier.localeCompare(y.supplier))).toEqual([
          { supplier: 'a', supplierFamilyId: 'style-1' },
          { supplier: 'b', supplierFamilyId: 'HP-S01' },
        ]);
      });

      it('a source already linked stays with its family whatever id is proposed later', async () => {
        await store.mergeFamily(tee, { supplier: 'a', supplierFamilyId: 'style-1' });
        expect(await store.mergeFamily({ ...tee, id: 'FAM-OTHER', categories: ['Shirts'] }, { supplier: 'a', supplierFamilyId: 'style-1' })).toBe('FAM-A-STYLE-1');
        const [family, other] = await store.getFamilies(['FAM-A-STYLE-1', 'FAM-OTHER']);
        expect(other).toBeNull();
        expect(family!.categories).toEqual(['T-Shirt', 'Shirts']);
      });

      it('concurrency: simultaneous first links of one source with different proposals agree on one family', async () => {
        const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => store.mergeFamily({ ...tee, id: `FAM-${i}` }, { supplier: 'a', supplierFamilyId: 'race' })));
        expect(new Set(ids).size).toBe(1);
        const families = (await store.getFamilies(Array.from({ length: 8 }, (_, i) => `FAM-${i}`))).filter((f) => f !== null);
        expect(families.map((f) => f.id)).toEqual([ids[0]]);
      });

      it('merges variant details: first family and options win, images and categories are appended once', async () => {
        await store.insert(newProduct('V-1'));
        expect(await store.getBySkus(['V-1'])).toMatchObject([{ familyId: null, options: [], images: [], categories: [] }]);
        const first = { familyId: 'F-1', options: [{ name: 'Color', value: 'Navy' }, { name: 'Size', value: 'L' }], images: [{ url: 'https://a.example/v1.jpg', alt: null }], categories: ['T-Shirt'] };
        expect(await store.mergeVariantDetails('V-1', first)).toBe(true);
        await store.mergeVariantDetails('V-1', {
          familyId: 'F-2',
          options: [{ name: 'Colour', value: 'Navy Blue' }],
          images: [{ url: 'https://a.example/v1.jpg', alt: null }, { url: 'https://b.example/v1.png', alt: 'side' }],
          categories: ['Apparel', 'T-Shirt'],
        });
        const [merged] = await store.getBySkus(['V-1']);
        expect(merged).toMatchObject({
          sku: 'V-1',
          familyId: 'F-1',
          options: first.options,
          images: [{ url: 'https://a.example/v1.jpg', alt: null }, { url: 'https://b.example/v1.png', alt: 'side' }],
          categories: ['T-Shirt', 'Apparel'],
        });
        // Merging what is there already is no change: updatedAt stays (the pause makes a new timestamp visible).
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.mergeVariantDetails('V-1', { ...first, options: [] });
        expect((await store.getBySkus(['V-1']))[0]!.updatedAt).toBe(merged!.updatedAt);
        expect(await store.mergeVariantDetails('NOPE', first)).toBe(false);
        expect(await store.getBySkus(['NOPE'])).toEqual([null]);
      });

      it('merges many families in one call: links each source once, keeps linked ones, and says which records changed', async () => {
        await store.mergeFamily(tee, { supplier: 'a', supplierFamilyId: 'style-1' });
        const entries = [
          { family: { ...tee, id: 'FAM-IGNORED', categories: ['Shirts'] }, source: { supplier: 'a', supplierFamilyId: 'style-1' } },
          { family: { ...tee, id: 'FAM-B-2', name: 'Hoodie', categories: ['Hoodie'], images: [] }, source: { supplier: 'b', supplierFamilyId: '2' } },
          { family: { ...tee, id: 'FAM-A-STYLE-1', name: 'Other', categories: [], images: [{ url: 'https://c.example/c.jpg', alt: null }] }, source: { supplier: 'c', supplierFamilyId: 'x' } },
          { family: { ...tee, id: 'FAM-B-3', name: 'Polo', categories: [], images: [] }, source: { supplier: 'b', supplierFamilyId: '3' } },
        ];
        const merged = await store.mergeFamilies(entries);
        expect(merged.familyIds).toEqual(['FAM-A-STYLE-1', 'FAM-B-2', 'FAM-A-STYLE-1', 'FAM-B-3']);
        expect([...merged.changed].sort()).toEqual(['FAM-A-STYLE-1', 'FAM-B-2', 'FAM-B-3']);
        const [one, two] = await store.getFamilies(['FAM-A-STYLE-1', 'FAM-B-2']);
        expect(one).toMatchObject({ name: 'Gildan T-Shirt', categories: ['T-Shirt', 'Shirts'] });
        expect(one!.images.map((i) => i.url)).toEqual(['https://a.example/s1.jpg', 'https://c.example/c.jpg']);
        expect(one!.sources.map((x) => x.supplier).sort()).toEqual(['a', 'c']);
        expect(two).toMatchObject({ name: 'Hoodie', categories: ['Hoodie'], sources: [{ supplier: 'b', supplierFamilyId: '2' }] });
        // The same batch again changes nothing, and says so (no announcement on a re-import).
        const before = (await store.getFamilies(['FAM-A-STYLE-1']))[0]!.updatedAt;
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await store.mergeFamilies(entries)).toEqual({ familyIds: merged.familyIds, changed: [] });
        expect((await store.getFamilies(['FAM-A-STYLE-1']))[0]!.updatedAt).toBe(before);
        expect(await store.mergeFamilies([])).toEqual({ familyIds: [], changed: [] });
      });

      it('merges many variants\' details in one call by the rules of one, and says which products changed and which are missing', async () => {
        const skus = Array.from({ length: 120 }, (_, i) => `V-${String(i).padStart(3, '0')}`);
        for (const sku of skus) await store.insert(newProduct(sku));
        await store.mergeVariantDetails('V-000', { familyId: 'F-OLD', options: [{ name: 'Size', value: 'XS' }], images: [], categories: ['Old'] });
        // More than a write command's statements (FerretDB: under 100 a command), and a SKU twice.
        const updates = [
          ...skus.map((sku) => ({ sku, details: { familyId: 'F-1', options: [{ name: 'Size', value: sku }], images: [{ url: `https://a.example/${sku}.jpg`, alt: null }], categories: ['T-Shirt'] } })),
          { sku: 'V-001', details: { familyId: 'F-2', options: [{ name: 'Colour', value: 'Navy' }], images: [{ url: 'https://b.example/1.jpg', alt: 'side' }], categories: ['Apparel'] } },
          { sku: 'NOPE', details: { familyId: 'F-1', options: [], images: [], categories: [] } },
        ];
        const merged = await store.mergeManyVariantDetails(updates);
        expect(merged.missing).toEqual(['NOPE']);
        expect([...merged.changed].sort((x, y) => x.sku.localeCompare(y.sku))).toEqual(skus.map((sku) => ({ sku, familyId: sku === 'V-000' ? 'F-OLD' : 'F-1' })));
        const [first, second, last] = await store.getBySkus(['V-000', 'V-001', 'V-119']);
        expect(first).toMatchObject({ familyId: 'F-OLD', options: [{ name: 'Size', value: 'XS' }], categories: ['Old', 'T-Shirt'] });
        expect(second).toMatchObject({
          familyId: 'F-1',
          options: [{ name: 'Size', value: 'V-001' }],
          images: [{ url: 'https://a.example/V-001.jpg', alt: null }, { url: 'https://b.example/1.jpg', alt: 'side' }],
          categories: ['T-Shirt', 'Apparel'],
        });
        expect(last).toMatchObject({ familyId: 'F-1', options: [{ name: 'Size', value: 'V-119' }] });
        expect((await store.variantsOfFamilies(['F-1'], 500))[0]).toHaveLength(119);
        // Again: nothing changes, nothing is said to, updatedAt stays.
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(await store.mergeManyVariantDetails(updates)).toEqual({ changed: [], missing: ['NOPE'] });
        expect((await store.getBySkus(['V-001']))[0]!.updatedAt).toBe(second!.updatedAt);
      });

      it('concurrency: simultaneous batches giving the same products different families and options agree on one each', async () => {
        const skus = Array.from({ length: 20 }, (_, i) => `R-${String(i).padStart(2, '0')}`);
        for (const sku of skus) await store.insert(newProduct(sku));
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, w) =>
            store.mergeManyVariantDetails(skus.map((sku) => ({ sku, details: { familyId: `F-${w}`, options: [{ name: 'Size', value: `w${w}` }], images: [{ url: `https://w${w}.example/${sku}.jpg`, alt: null }], categories: [`C${w}`] } }))),
          ),
        );
        const products = await store.getBySkus(skus);
        for (const product of products) {
          // One writer's family and one writer's options, never two. (Images and categories are appended with $addToSet,
          // which FerretDB 1.24 applies as a read-modify-write of the document: racing merges may drop each other's
          // additions there, and the next import adds them again; only the write-once fields are claimed.)
          expect(product!.familyId).toMatch(/^F-[0-5]$/);
          expect(product!.options).toHaveLength(1);
          expect(product!.images.length).toBeGreaterThan(0);
          // Every writer that changed it announced the family it really has.
          for (const r of results) for (const c of r.changed.filter((x) => x.sku === product!.sku)) expect(c.familyId).toBe(product!.familyId);
        }
      });

      it('lists each family\'s variants by canonical SKU, at most `limit` each, with their mappings', async () => {
        for (const sku of ['C', 'A', 'B', 'D']) {
          await store.insert(newProduct(sku, { suppliers: [{ supplier: 'a', supplierSku: `a-${sku}` }], ...(sku === 'D' ? { familyId: 'F-2' } : {}) }));
          if (sku !== 'D') await store.mergeVariantDetails(sku, { familyId: 'F-1', options: [{ name: 'Size', value: sku }], images: [], categories: [] });
        }
        const [one, two, none] = await store.variantsOfFamilies(['F-1', 'F-2', 'F-3'], 2);
        expect(one!.map((p) => p.sku)).toEqual(['A', 'B']);
        expect(one![0]).toMatchObject({ familyId: 'F-1', options: [{ name: 'Size', value: 'A' }], suppliers: [{ supplier: 'a', supplierSku: 'a-A' }] });
        expect(two!.map((p) => p.sku)).toEqual(['D']);
        expect(none).toEqual([]);
        await expectRegistryCode(store.variantsOfFamilies(['F-1'], 0), 'INVALID_INPUT');
      });
    });
  });
}
