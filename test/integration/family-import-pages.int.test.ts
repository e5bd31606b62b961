/**
 * Regression: a style whose variants span two catalog pages split into two families. The importer linked a supplier
 * family on the first page it appeared on; when only a later page's variant was shared with a supplier imported
 * before (so already in that supplier's family), the first page had already made a new family, and the style ended in
 * two. Here through the production import (importCatalogs, the store wrapped by withCatalogEvents) over the bundled
 * sandboxes: harborpromo first, then Brightline through its connector asking the REST sandbox for pages of 5 items
 * (the published API's `pageSize`), which cuts most styles. Every Brightline style must end as one family, on the
 * embedded store and on MongoDB/FerretDB (MONGO_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { createMemoryEventBus } from '../../adapters/events/memory-event-bus.ts';
import { createMemoryBucketStore } from '../../adapters/ratelimit/memory-bucket-store.ts';
import { createMemoryCatalogStore } from '../../adapters/storage/memory/catalog-store.ts';
import { createMongoCatalogStore } from '../../adapters/storage/mongo/catalog-store.ts';
import { createBrightlineConnector } from '../../adapters/suppliers/brightline/connector.ts';
import type { CatalogItem } from '../../kernel/model.ts';
import { loadConfig } from '../../platform/config.ts';
import { silentLogger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import { withCatalogEvents } from '../../stack/catalog-events.ts';
import { openSuppliers, type OpenSuppliers } from '../../stack/open-suppliers.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';
import { openTestDatabase, type TestDatabase } from '../support/test-data.ts';

const PAGE_SIZE = 5;
const mongoUrl = process.env.MONGO_URL;
const log = silentLogger();
const ctx = () => ({ signal: AbortSignal.timeout(30_000), log, requestId: 'family-pages', lane: 'sync' as const });

let suppliers: OpenSuppliers;
let brightline: SupplierConnector;
/** Brightline's catalog as its connector pages it: each item with the page it came on. */
const pages: { item: CatalogItem; page: number }[] = [];

beforeAll(async () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', GATEWAY_PORT: '0', BRIGHTLINE_POLL_INTERVAL_MS: '0', HARBORPROMO_POLL_INTERVAL_MS: '0', MAPLECART_POLL_INTERVAL_MS: '0' });
  suppliers = await openSuppliers({ config, rateLimits: createMemoryBucketStore(), metrics: createMetrics({ defaultMetrics: false }), log });
  const endpoint = suppliers.endpoints.get('brightline')!;
  brightline = await createBrightlineConnector({
    baseUrl: endpoint.url,
    clientId: endpoint.credentials['clientId']!,
    clientSecret: endpoint.credentials['clientSecret']!,
    catalogPageSize: PAGE_SIZE,
  });
  let cursor: string | null = null;
  let page = 0;
  do {
    const answer = await brightline.listCatalog(cursor, ctx());
    for (const item of answer.items) pages.push({ item, page });
    cursor = answer.nextCursor;
    page += 1;
  } while (cursor !== null);
}, 60_000);

afterAll(async () => {
  await brightline?.close();
  await suppliers?.close();
});

async function importAndCheck(store: CatalogStore): Promise<void> {
  const events = createMemoryEventBus({ log });
  const catalog = withCatalogEvents(store, events, log);
  // The test is only worth something if the small pages cut styles: most of Brightline's do.
  const pagesOf = new Map<string, Set<number>>();
  for (const { item, page } of pages) if (item.family) pagesOf.set(item.family.id, (pagesOf.get(item.family.id) ?? new Set()).add(page));
  expect([...pagesOf.values()].filter((p) => p.size > 1).length).toBeGreaterThan(10);

  await importCatalogs({ connectors: [suppliers.connectors.get('harborpromo')!, brightline], catalog, log });

  const styles = new Map<string, Set<string | null>>();
  for (const { item } of pages) {
    if (!item.family) continue;
    const product = await store.findBySupplierSku('brightline', item.supplierSku);
    expect(product, item.supplierSku).not.toBeNull();
    styles.set(item.family.id, (styles.get(item.family.id) ?? new Set()).add(product!.familyId));
  }
  const split = [...styles].filter(([, families]) => families.size !== 1 || families.has(null));
  expect(split.map(([style, families]) => `${style}: ${[...families].join(', ')}`)).toEqual([]);
  // Style 5 (universe 5, 69, 133): 5 is Brightline's alone and comes pages before 69, which harborpromo's HP-S05 holds.
  const [five] = await store.variantsOfFamilies([(await store.familyIdOfSource({ supplier: 'brightline', supplierFamilyId: 'BLS-005' }))!], 50);
  expect(five!.map((p) => p.suppliers.map((m) => m.supplier).join('+')).sort()).toEqual(['brightline', 'brightline+harborpromo', 'brightline+harborpromo', 'harborpromo']);
  expect(await store.familyIdOfSource({ supplier: 'brightline', supplierFamilyId: 'BLS-005' })).toBe(await store.familyIdOfSource({ supplier: 'harborpromo', supplierFamilyId: 'HP-S05' }));
  await events.close();
}

describe('a style cut by catalog pages stays one family (production import, sandbox pages of 5)', () => {
  it('on the embedded catalog store', { timeout: 60_000 }, async () => {
    await importAndCheck(createMemoryCatalogStore());
  });

  describe.skipIf(!mongoUrl)('on MongoDB (MONGO_URL)', () => {
    let testDb: TestDatabase;
    beforeAll(async () => {
      testDb = await openTestDatabase(mongoUrl!, 'family_pages');
    });
    afterAll(async () => {
      await testDb?.close();
    });

    it('on the MongoDB catalog store', { timeout: 150_000 }, async () => {
      const store = createMongoCatalogStore({ db: testDb.db });
      await store.ensureIndexes();
      await importAndCheck(store);
    });
  });
});
