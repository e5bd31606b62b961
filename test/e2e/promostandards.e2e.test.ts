/**
 * A PromoStandards supplier through the whole stack (harborpromo on its bundled SOAP sandbox, which behaves like a
 * standard supplier: several parts per product, no Order Cancel service, faults per service):
 * - a poll pass makes one Inventory call per product, counted in the sandbox's own stats;
 * - Product Data down, Inventory up: stock stays fresh and order tracking is unaffected;
 * - cancelling at a supplier without a cancel service is ORDER_NOT_CANCELLABLE naming the supplier, through the
 *   gateway's cancelOrder mutation.
 * Runs on MongoDB and Redis when MONGO_URL / REDIS_URL are set, else on the embedded stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../platform/logger.ts';
import type { SoapSandbox } from '../../sandboxes/soap/index.ts';
import { startStack, type Stack } from '../../stack/start-stack.ts';
import { newProduct } from '../contract/catalog-store.contract.ts';
import { postGraphql, testConfig } from '../support/stack-env.ts';
import { cleanUpTestData } from '../support/test-data.ts';

const SLUG = 'harborpromo';
const SHIP_TO = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'Reno', region: 'NV', postalCode: '89502', country: 'US' };
const ORDER_FIELDS = `id status lines { lineNumber status } subOrders { id supplier state status supplierOrderId idempotencyKey lastError }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${ORDER_FIELDS} } }`;
const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { ${ORDER_FIELDS} } }`;
const OFFERS = `query($sku: ID!) { product(sku: $sku) { offers { id available cost { amount currency } } } }`;

describe('a PromoStandards supplier through the stack (e2e)', () => {
  let stack: Stack;
  let url: string;
  let sandbox: SoapSandbox;
  const config = testConfig({
    // Tests drive polls and tracking themselves; offers are read live (no cache between reads).
    HARBORPROMO_POLL_INTERVAL_MS: '0',
    BRIGHTLINE_POLL_INTERVAL_MS: '0',
    MAPLECART_POLL_INTERVAL_MS: '0',
    RECONCILE_INTERVAL_MS: '0',
    OFFER_CACHE_TTL_MS: '1',
  });
  /** Parts by product, as the sandbox publishes them. */
  let products: string[][];
  const mapped = new Map<string, string>(); // supplier SKU → canonical SKU
  let keySeq = 0;
  const key = () => `ps-e2e-${Date.now()}-${(keySeq += 1)}`;
  const gql = async (query: string, variables: Record<string, unknown>) => (await postGraphql(url, { query, variables })).json;

  /** Maps whole products of the supplier into our catalog, each part one canonical product with stock. */
  async function carry(parts: readonly string[]): Promise<void> {
    for (const supplierSku of parts) {
      const sku = `DS-PS-${supplierSku}`;
      mapped.set(supplierSku, sku);
      await stack.stores.catalog.insert(newProduct(sku, { title: `PS ${supplierSku}`, suppliers: [{ supplier: SLUG, supplierSku }] }));
      const applied = await stack.updater.applyReport({ sku, supplier: SLUG, supplierSku, onHand: 40, supplierAsOf: new Date(Date.now() - 60_000).toISOString() }, 'import');
      expect(applied.outcome).toBe('applied');
    }
  }

  beforeAll(async () => {
    stack = await startStack({ config, log: silentLogger(), subgraphPorts: 'random', seed: false, orderLoopMs: 0 });
    url = stack.gateway.graphqlUrl;
    sandbox = stack.sandboxes.get(SLUG) as SoapSandbox;
    expect(typeof sandbox.setServiceFaults).toBe('function');
    const byProduct = new Map<string, string[]>();
    for (const part of sandbox.supplierSkus()) byProduct.set(sandbox.productOf(part)!, [...(byProduct.get(sandbox.productOf(part)!) ?? []), part]);
    products = [...byProduct.values()].filter((parts) => parts.length >= 2);
    expect(products.length).toBeGreaterThanOrEqual(7);
    for (const parts of products.slice(0, 6)) {
      for (const part of parts) sandbox.driftStock(part, 300); // enough for every order below
      await carry(parts);
    }
  }, 120_000);

  afterAll(async () => {
    if (!stack) return;
    await stack.close();
    await cleanUpTestData(config);
  });

  it('a poll pass makes one Inventory call per product, not one per part (counted by the sandbox)', async () => {
    const partCount = products.slice(0, 6).flat().length;
    sandbox.resetStats();
    const pass = await stack.sync.poller.pollNow(SLUG);
    expect(pass).toMatchObject({ supplier: SLUG, requested: partCount, missing: 0, error: null });
    expect(partCount).toBeGreaterThan(6);
    expect(sandbox.stats().byOperation.getInventoryLevels).toBe(6);
    // The figures are the supplier's.
    const [first] = products[0]!;
    const row = await stack.stores.stock.get(mapped.get(first!)!, SLUG);
    expect(row?.onHand).toBe(sandbox.stockOf(first!));
  }, 60_000);

  it('Product Data down, Inventory up: stock stays fresh; order tracking unaffected', async () => {
    const [part, sibling] = products[1]!;
    const sku = mapped.get(part!)!;
    // An order placed while everything answers, and the offer read once (its price is now known).
    const placed = (await gql(PLACE, { input: { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku, quantity: 2 }] } })).data.placeOrder;
    expect(placed.subOrders).toMatchObject([{ supplier: SLUG, state: 'SUBMITTED' }]);
    const warm = (await gql(OFFERS, { sku })).data.product.offers[0];
    expect(warm.cost).toMatchObject({ currency: 'USD' });

    sandbox.setServiceFaults('productData', { down: true });
    try {
      // Catalog reads fail (what an import would do) until the catalog breaker opens; stock and orders keep theirs.
      const traffic = stack.traffic.get(SLUG)!;
      for (let i = 0; i < 20 && traffic.breakers.catalog.state() !== 'open'; i += 1) {
        const importCtx = { signal: AbortSignal.timeout(5_000), log: silentLogger(), requestId: `import-${SLUG}-${i}`, lane: 'sync' as const };
        await expect(stack.connectors.get(SLUG)!.listCatalog(null, importCtx)).rejects.toMatchObject({ supplier: SLUG });
      }
      expect(traffic.breakers.catalog.state()).toBe('open');

      // Stock: live offers follow the supplier; a product whose price was never read comes without cost.
      sandbox.driftStock(part!, 123);
      const offer = (await gql(OFFERS, { sku })).data.product.offers[0];
      expect(offer).toMatchObject({ id: `${SLUG}:${part}`, available: 123, cost: warm.cost });
      // A product we start carrying now: its price has never been read.
      await carry(products[6]!);
      const unpriced = products[6]![0]!;
      sandbox.driftStock(unpriced, 77);
      const cold = await gql(OFFERS, { sku: mapped.get(unpriced)! });
      expect(cold.errors).toBeUndefined();
      expect(cold.data.product.offers[0]).toMatchObject({ available: 77, cost: null });
      // A poll pass applies the fresh figures.
      sandbox.driftStock(sibling!, 222);
      const pass = await stack.sync.poller.pollNow(SLUG);
      expect(pass.error).toBeNull();
      expect((await stack.stores.stock.get(mapped.get(sibling!)!, SLUG))?.onHand).toBe(222);

      // Tracking: the supplier ships; the order follows, Product Data still down.
      sandbox.advanceOrder(placed.subOrders[0].supplierOrderId, 'shipped');
      await stack.orders.pollTracking({ supplier: SLUG });
      const tracked = (await gql(ORDER, { id: placed.id })).data.order;
      expect(tracked.status).toBe('SHIPPED');
      expect(tracked.subOrders[0]).toMatchObject({ status: 'SHIPPED', lastError: null });
      expect([traffic.breakers.stock.state(), traffic.breakers.orders.state()]).toEqual(['closed', 'closed']);
    } finally {
      sandbox.resetFaults();
    }
  }, 60_000);

  it('cancelling at a supplier without a cancel service → ORDER_NOT_CANCELLABLE naming the supplier; the order stays tracked', async () => {
    expect(sandbox.endpoints.orderCancel).toBeUndefined();
    const sku = mapped.get(products[2]![0]!)!;
    const placed = (await gql(PLACE, { input: { idempotencyKey: key(), shipTo: SHIP_TO, lines: [{ sku, quantity: 1 }] } })).data.placeOrder;
    expect(placed.subOrders).toMatchObject([{ supplier: SLUG, state: 'SUBMITTED' }]);
    sandbox.resetStats();
    const refused = await gql(CANCEL, { id: placed.id });
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0].extensions.code).toBe('ORDER_NOT_CANCELLABLE');
    expect(refused.errors[0].message).toContain(SLUG);
    // Nothing was sent to the supplier (it has nothing to send it to), and the order is as it was.
    expect(sandbox.stats().total).toBe(0);
    const after = (await gql(ORDER, { id: placed.id })).data.order;
    expect(after.subOrders[0]).toMatchObject({ state: 'SUBMITTED', status: placed.subOrders[0].status });
    expect((sandbox.orders() as { purchaseOrderNumber: string; status: string }[]).find((o) => o.purchaseOrderNumber === placed.subOrders[0].idempotencyKey)?.status).toBe('received');
  }, 60_000);
});
