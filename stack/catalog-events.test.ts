import { describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '../adapters/events/memory-event-bus.ts';
import { createMemoryCatalogStore } from '../adapters/storage/memory/catalog-store.ts';
import { silentLogger } from '../platform/logger.ts';
import { newProduct } from '../test/contract/catalog-store.contract.ts';
import { CATALOG_CHANGED_TOPIC, withCatalogEvents } from './catalog-events.ts';

async function setup() {
  const events = createMemoryEventBus({ log: silentLogger() });
  const seen: (string | null)[] = [];
  await events.subscribe(CATALOG_CHANGED_TOPIC, (e) => {
    const { sku, familyId } = e as { sku: string | null; familyId?: string | null };
    seen.push(familyId ? `${sku}@${familyId}` : sku);
  });
  const catalog = withCatalogEvents(createMemoryCatalogStore(), events, silentLogger());
  const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
  return { catalog, seen, settle };
}

describe('catalog store with catalog.changed events', () => {
  it('announces each product write by its SKU, and reads announce nothing', async () => {
    const { catalog, seen, settle } = await setup();
    await catalog.insert(newProduct('P-1'));
    await catalog.upsertSupplierMapping('P-1', { supplier: 'brightline', supplierSku: 'B-1' });
    await catalog.getBySkus(['P-1']);
    await catalog.findBySupplierSku('brightline', 'B-1');
    expect(await catalog.upsertSupplierMapping('P-NONE', { supplier: 'brightline', supplierSku: 'B-9' })).toBeNull();
    await settle();
    expect(seen).toEqual(['P-1', 'P-1']);
  });

  it('a moved mapping names both products; a family write reaches every product; a product of a family names it', async () => {
    const { catalog, seen, settle } = await setup();
    await catalog.insert(newProduct('P-1', { suppliers: [{ supplier: 'brightline', supplierSku: 'B-1' }] }));
    await catalog.insert(newProduct('P-2'));
    await settle();
    seen.length = 0;
    await catalog.upsertSupplierMapping('P-2', { supplier: 'brightline', supplierSku: 'B-1' });
    const familyId = await catalog.mergeFamily({ id: 'F-1', name: 'Tee', brand: null, categories: [], images: [] }, { supplier: 'brightline', supplierFamilyId: 'S-1' });
    await catalog.insert(newProduct('P-3', { familyId }));
    await settle();
    expect(seen).toEqual(['P-2', 'P-1', 'null@F-1', 'P-3@F-1']);
  });

  it('a merge of variant details names the product and its family; a merge into no product announces nothing', async () => {
    const { catalog, seen, settle } = await setup();
    await catalog.insert(newProduct('P-1'));
    await settle();
    seen.length = 0;
    expect(await catalog.mergeVariantDetails('P-1', { familyId: 'F-1', options: [{ name: 'Size', value: 'M' }], images: [], categories: [] })).toBe(true);
    expect(await catalog.mergeVariantDetails('P-NONE', { familyId: 'F-1', options: [], images: [], categories: [] })).toBe(false);
    await settle();
    // Never `undefined`/null: readers take a missing SKU as "every product" (a whole listing rebuild per variant).
    expect(seen).toEqual(['P-1@F-1']);
  });

  it('a batch merge announces each product and family it changed, once, with the family it really has; a repeat announces nothing', async () => {
    const { catalog, seen, settle } = await setup();
    await catalog.insert(newProduct('P-1'));
    await catalog.insert(newProduct('P-2', { familyId: 'F-OLD' }));
    await settle();
    seen.length = 0;
    const families = [{ family: { id: 'F-1', name: 'Tee', brand: null, categories: ['T-Shirt'], images: [] }, source: { supplier: 'brightline', supplierFamilyId: 'S-1' } }];
    const variants = [
      { sku: 'P-1', details: { familyId: 'F-1', options: [{ name: 'Size', value: 'M' }], images: [], categories: [] } },
      { sku: 'P-1', details: { familyId: 'F-1', options: [], images: [], categories: ['T-Shirt'] } },
      { sku: 'P-2', details: { familyId: 'F-1', options: [], images: [], categories: [] } },
      { sku: 'P-NONE', details: { familyId: 'F-1', options: [], images: [], categories: [] } },
    ];
    await catalog.mergeFamilies(families);
    await catalog.mergeManyVariantDetails(variants);
    await settle();
    // P-2 keeps its first family and nothing else changed on it: not announced. P-1 once, not once per update.
    expect(seen).toEqual(['null@F-1', 'P-1@F-1']);
    seen.length = 0;
    await catalog.mergeFamilies(families);
    await catalog.mergeManyVariantDetails([...variants, { sku: 'P-2', details: { familyId: 'F-1', options: [], images: [], categories: ['Sale'] } }]);
    await settle();
    expect(seen).toEqual(['P-2@F-OLD']);
  });
});
