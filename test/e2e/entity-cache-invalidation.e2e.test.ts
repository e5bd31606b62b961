/**
 * Issue 15, acceptance "cache invalidation": with the gateway's entity cache on (GATEWAY_ENTITY_CACHE=on), a query
 * warms it (the catalog Product of a reservation's item, fetched by `_entities`, is served from the cache the second
 * time); then a stock change arrives the way production gets it (Brightline's own signed webhook) and a catalog change
 * the way production makes it (the catalog importer over maplecart's connector, matching our product by GTIN, adds a
 * supplier mapping).
 * The very next query after each event is on the bus shows the new figure. Nothing is published by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { RestSandbox } from '../../sandboxes/rest/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { CATALOG_CHANGED_TOPIC } from '../../stack/catalog-events.ts';
import { STOCK_CHANGED_TOPIC } from '../../subgraphs/inventory/stock-events.ts';
import { importCatalogs } from '../../subgraphs/catalog/import-catalog.ts';
import { counterValue } from '../../subgraphs/inventory/sync-metrics.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const RESERVE = `mutation($input: ReserveStockInput!) { reserveStock(input: $input) { id } }`;
const ITEMS = `query($id: ID!) { reservation(id: $id) { items { product { sku title gtin supplierSkus { supplier supplierSku } stock { onHand } } } } }`;

async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('entity cache invalidation through the production paths (e2e)', () => {
  let stack: Stack;
  let brightline: RestSandbox;
  const sku = `DS-ENTITY-CACHE-${Date.now()}`;
  let supplierSku: string;
  let reservation: string;
  const seen: { topic: string; payload: { sku?: string | null } }[] = [];
  const unsubscribes: (() => Promise<void>)[] = [];
  const config = testConfig({
    GATEWAY_ENTITY_CACHE: 'on',
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
  });
  const items = async () => {
    const { json } = await postGraphql(stack.gateway.graphqlUrl, { query: ITEMS, variables: { id: reservation } });
    expect(json.errors).toBeUndefined();
    return json.data.reservation.items[0].product as { sku: string; title: string; gtin: string; supplierSkus: { supplier: string; supplierSku: string }[]; stock: { onHand: number } };
  };
  const lookups = (outcome: string) => counterValue(stack.metrics.registry, 'gateway_entity_cache_lookups_total', { subgraph: 'catalog', outcome });

  beforeAll(async () => {
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    brightline = stack.sandboxes.get('brightline') as RestSandbox;
    for (const topic of [STOCK_CHANGED_TOPIC, CATALOG_CHANGED_TOPIC]) {
      unsubscribes.push(await stack.stores.events.subscribe(topic, (payload) => seen.push({ topic, payload: payload as { sku?: string | null } })));
    }
  }, 120_000);

  afterAll(async () => {
    for (const unsubscribe of unsubscribes) await unsubscribe().catch(() => undefined);
    if (!stack) return;
    await stack.close();
    await cleanUpTestData(config);
  }, 60_000);

  it('the next query after a stock webhook and after a catalog import shows the new values', { timeout: 120_000 }, async () => {
    // Setup: a product carried by Brightline whose GTIN maplecart also lists (maplecart's import will match it).
    const maplecart = stack.connectors.get('maplecart')!;
    const page = await maplecart.listCatalog(null, { signal: AbortSignal.timeout(20_000), log: silentLogger(), requestId: 'entity-cache-e2e', lane: 'sync' });
    const listed = page.items.find((item) => item.gtin !== null && item.gtin !== undefined);
    expect(listed).toBeDefined();
    supplierSku = brightline.supplierSkus()[0]!;
    await stack.stores.catalog.insert(newProduct(sku, { title: 'Entity cache tee', gtin: listed!.gtin, suppliers: [{ supplier: 'brightline', supplierSku }] }));
    brightline.setStock(supplierSku, 40);
    await brightline.webhooksIdle();
    await eventually(() => seen.some((e) => e.topic === STOCK_CHANGED_TOPIC && e.payload.sku === sku), 'the first stock figure');
    const reserved = await postGraphql(stack.gateway.graphqlUrl, { query: RESERVE, variables: { input: { items: [{ sku, supplier: 'brightline', quantity: 1 }], ttlSeconds: 600 } } });
    expect(reserved.json.errors).toBeUndefined();
    reservation = reserved.json.data.reserveStock.id;

    // Warm: the first query fetches the catalog Product, the second is answered from the local cache.
    const missesBefore = await lookups('miss');
    const first = await items();
    expect(first).toMatchObject({ sku, title: 'Entity cache tee', stock: { onHand: 40 } });
    expect(first.supplierSkus).toEqual([{ supplier: 'brightline', supplierSku }]);
    expect(await lookups('miss')).toBe(missesBefore + 1);
    const hitsBefore = await lookups('local');
    expect(await items()).toEqual(first);
    expect(await lookups('local')).toBe(hitsBefore + 1);

    // A stock change: Brightline's signed webhook to the inventory subgraph.
    const stockEvents = seen.length;
    brightline.setStock(supplierSku, 73);
    await brightline.webhooksIdle();
    await eventually(() => seen.slice(stockEvents).some((e) => e.topic === STOCK_CHANGED_TOPIC && e.payload.sku === sku), 'stock.changed of the webhook');
    expect((await items()).stock.onHand).toBe(73);

    // A catalog change: maplecart's catalog import matches the product by GTIN and maps maplecart's SKU to it. The
    // importer and the connector are production's; the listing is cut to the one item (a whole catalog through a busy
    // MongoDB-protocol server takes minutes, as test/fault/seed-catalog.ts notes).
    const catalogEvents = seen.length;
    const oneItem: SupplierConnector = { ...maplecart, listCatalog: async (cursor) => ({ items: cursor === null ? [listed!] : [], nextCursor: null }) };
    await importCatalogs({ connectors: [oneItem], catalog: stack.stores.catalog, log: silentLogger() });
    await eventually(() => seen.slice(catalogEvents).some((e) => e.topic === CATALOG_CHANGED_TOPIC && (e.payload.sku === sku || e.payload.sku === null)), 'catalog.changed of the import');
    const after = await items();
    expect(after.supplierSkus).toEqual(expect.arrayContaining([{ supplier: 'brightline', supplierSku }, { supplier: 'maplecart', supplierSku: listed!.supplierSku }]));
    expect(after.title).toBe('Entity cache tee');
    // And the new answer is cached again: the next query hits.
    const hitsAfter = await lookups('local');
    expect(await items()).toEqual(after);
    expect(await lookups('local')).toBe(hitsAfter + 1);
  });
});
