/**
 * maplecart-specific connector behaviour beyond the shared contract: cost-based throttling against a really
 * drained bucket, the natural-key fallback, idempotent cancel, and userError mapping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { createGraphqlSandbox, GRAPHQL_PATH, type GraphqlSandbox, type GraphqlSandboxOptions } from '../../../sandboxes/graphql/index.ts';
import type { CallContext } from '../../core/connector.ts';
import type { SupplierOrder } from '../../../kernel/model.ts';
import { createMaplecartConnector, type MaplecartConnector } from './connector.ts';

let sandbox: GraphqlSandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const ctx = (): CallContext => ({ signal: new AbortController().signal, log: silentLogger(), requestId: 'maplecart-test', lane: 'order' });

async function setup(options: GraphqlSandboxOptions = {}): Promise<{ sb: GraphqlSandbox; connector: MaplecartConnector }> {
  sandbox = await createGraphqlSandbox(options);
  const connector = createMaplecartConnector({
    baseUrl: sandbox.url,
    accessToken: sandbox.credentials['accessToken']!,
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, budgetMs: 5_000 },
  });
  return { sb: sandbox, connector };
}

const order = (key: string, supplierSku: string, quantity = 1): SupplierOrder => ({
  idempotencyKey: key,
  lines: [{ lineNumber: 1, supplierSku, quantity }],
  shipTo: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Toronto', region: 'ON', postalCode: 'M5V 2T6', country: 'CA' },
});

/** The sandbox archives every 41st product of the shared universe (index 40, 81, …); SKUs end in that index. */
const isArchived = (sku: string): boolean => Number(sku.slice(sku.lastIndexOf('-') + 1)) % 41 === 40;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected failure'),
    (e: unknown) => e,
  );
  return isRegistryError(error) ? error.code : `not a registry error: ${String(error)}`;
}

describe('maplecart connector', () => {
  it('waits out a real cost-based THROTTLED for (requested − available) / restoreRate, then reads', async () => {
    const { sb, connector } = await setup({ costBudget: { maximumAvailable: 1_000, restoreRate: 20 } });
    const sku = sb.supplierSkus()[0]!;
    sb.drainCostBucket(0);
    sb.resetStats();
    const started = Date.now();
    const stock = await connector.getStock([sku], ctx());
    // One SKU asks (2 + 1 × 3) + (2 + 1 × 1) = 8 points: 400 ms at 20 points a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(stock.map((s) => s.supplierSku)).toEqual([sku]);
    expect(sb.stats().total).toBe(2);
    expect(connector.throttleStatus()).toMatchObject({ maximumAvailable: 1_000, restoreRate: 20 });
  });

  it('reads a full 50-SKU stock batch in one call asking at most 160 points, with totals, costs and discontinued items', async () => {
    const { sb } = await setup();
    const costs: { requestedQueryCost: number; actualQueryCost: number }[] = [];
    const connector = createMaplecartConnector({
      baseUrl: sb.url,
      accessToken: sb.credentials['accessToken']!,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        costs.push(((await res.clone().json()) as { extensions: { cost: (typeof costs)[number] } }).extensions.cost);
        return res;
      },
    });
    const skus = sb.supplierSkus().slice(0, 50);
    const archived = skus.filter(isArchived);
    expect(archived.length).toBeGreaterThan(0);
    sb.resetStats();
    const stock = await connector.getStock(skus, ctx());
    expect(sb.stats()).toMatchObject({ total: 1, maxStockBatch: 50 });
    // 2 + 50 × (variant, inventoryItem, unitCost) for the figures + 2 + 5 for the archived probe.
    expect(costs).toMatchObject([{ requestedQueryCost: 159, actualQueryCost: 152 + 2 + archived.length }]);
    expect(stock).toHaveLength(50);
    for (const s of stock) {
      expect(s.available).toBe(sb.stockOf(s.supplierSku));
      expect(s.cost?.currency).toBe('CAD');
      if (archived.includes(s.supplierSku)) expect(s.status).toBe('discontinued');
      else expect(s.status).not.toBe('discontinued');
    }
  });

  it('pages the archived probe on when a batch holds more archived variants than it asked for', async () => {
    const { sb } = await setup();
    const connector = createMaplecartConnector({ baseUrl: sb.url, accessToken: sb.credentials['accessToken']!, archivedProbeSize: 1 });
    const all = sb.supplierSkus();
    const archived = all.filter(isArchived);
    expect(archived.length).toBeGreaterThanOrEqual(3);
    const batch = [...archived, ...all.filter((s) => !isArchived(s)).slice(0, 50 - archived.length)];
    sb.resetStats();
    const stock = await connector.getStock(batch, ctx());
    // The stock read found one, and one follow-up page (first: the batch size) the rest.
    expect(sb.stats().total).toBe(2);
    expect(stock).toHaveLength(batch.length);
    expect(stock.filter((s) => s.status === 'discontinued').map((s) => s.supplierSku).sort()).toEqual([...archived].sort());
  });

  it('reports the stock change of a placed order and its restocking cancel with a newer asOf each time', async () => {
    const { sb, connector } = await setup();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 10 && !isArchived(s))!;
    const [before] = await connector.getStock([sku], ctx());
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Unchanged stock keeps its age: asOf is the shop's timestamp, not the time of our read.
    expect((await connector.getStock([sku], ctx()))[0]!.asOf).toBe(before!.asOf);
    const placed = await connector.placeOrder(order('PO-ASOF-1', sku, 2), ctx());
    const [ordered] = await connector.getStock([sku], ctx());
    expect(ordered!.available).toBe(before!.available - 2);
    expect(Date.parse(ordered!.asOf)).toBeGreaterThan(Date.parse(before!.asOf));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await connector.cancelOrder({ supplierOrderId: placed.supplierOrderId, idempotencyKey: 'PO-ASOF-1' }, ctx());
    const [restocked] = await connector.getStock([sku], ctx());
    expect(restocked!.available).toBe(before!.available);
    expect(Date.parse(restocked!.asOf)).toBeGreaterThan(Date.parse(ordered!.asOf));
  });

  it('reads back an order placed under our key whose replay record is gone (sourceIdentifier TAKEN)', async () => {
    const { sb, connector } = await setup();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 5)!;
    // Another client (or an expired idempotency record) created the order under our natural key.
    const res = await fetch(sb.url + GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': sb.credentials['accessToken']! },
      body: JSON.stringify({
        query: 'mutation($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } userErrors { code } } }',
        variables: { o: { sourceIdentifier: 'PO-TAKEN-1', lineItems: [{ sku, quantity: 1 }] } },
      }),
    });
    const existingId = ((await res.json()) as { data: { orderCreate: { order: { id: string } } } }).data.orderCreate.order.id;
    const ack = await connector.placeOrder(order('PO-TAKEN-1', sku), ctx());
    expect(ack).toMatchObject({ supplierOrderId: existingId, alreadyExisted: true });
    expect(sb.orders()).toHaveLength(1);
  });

  it('treats cancelling an already-cancelled order as done, and an unknown order as not found', async () => {
    const { sb, connector } = await setup();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 5)!;
    const placed = await connector.placeOrder(order('PO-CANCEL-TWICE', sku), ctx());
    await connector.cancelOrder({ supplierOrderId: null, idempotencyKey: 'PO-CANCEL-TWICE' }, ctx());
    await connector.cancelOrder({ supplierOrderId: placed.supplierOrderId, idempotencyKey: 'PO-CANCEL-TWICE' }, ctx());
    expect((await connector.getOrderStatus({ supplierOrderId: placed.supplierOrderId, idempotencyKey: 'PO-CANCEL-TWICE' }, ctx())).status).toBe('cancelled');
    expect(await codeOf(connector.cancelOrder({ supplierOrderId: 'gid://shopify/Order/1', idempotencyKey: 'PO-X' }, ctx()))).toBe('SUPPLIER_NOT_FOUND');
    expect(await codeOf(connector.cancelOrder({ supplierOrderId: null, idempotencyKey: 'PO-NEVER' }, ctx()))).toBe('SUPPLIER_NOT_FOUND');
  });

  it('refuses to cancel a shipped order as ORDER_NOT_CANCELLABLE in our words, the supplier\'s text only in cleaned details', async () => {
    const { sb, connector } = await setup();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 5)!;
    const placed = await connector.placeOrder(order('PO-SHIPPED', sku), ctx());
    sb.advanceOrder(placed.supplierOrderId, 'shipped');
    const error = await connector.cancelOrder({ supplierOrderId: placed.supplierOrderId, idempotencyKey: 'PO-SHIPPED' }, ctx()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isRegistryError(error) && error.code).toBe('ORDER_NOT_CANCELLABLE');
    if (!isRegistryError(error)) return;
    expect(error.message).toBe('maplecart refused to cancel the order');
    expect(error.details).toMatchObject({ supplierCodes: ['INVALID'], supplierMessage: 'Cannot cancel an order that has fulfillments', supplierOrderId: placed.supplierOrderId });
  });

  it('maps an unknown SKU to SUPPLIER_NOT_FOUND and too little stock to SUPPLIER_REJECTED', async () => {
    const { sb, connector } = await setup();
    expect(await codeOf(connector.placeOrder(order('PO-UNKNOWN', 'mc-no-such-thing-1'), ctx()))).toBe('SUPPLIER_NOT_FOUND');
    const empty = sb.supplierSkus().find((s) => sb.stockOf(s) === 0 && !s.endsWith('5'))!;
    expect(await codeOf(connector.placeOrder(order('PO-EMPTY', empty), ctx()))).toBe('SUPPLIER_REJECTED');
    expect(sb.orders()).toHaveLength(0);
  });

  it('reports partial shipments and backorders through getOrderStatus', async () => {
    const { sb, connector } = await setup();
    const sku = sb.supplierSkus().find((s) => (sb.stockOf(s) ?? 0) > 10)!;
    const ack = await connector.placeOrder(order('PO-PARTIAL', sku, 4), ctx());
    const ref = { supplierOrderId: ack.supplierOrderId, idempotencyKey: 'PO-PARTIAL' };
    sb.advanceOrder(ack.supplierOrderId, 'backordered');
    expect((await connector.getOrderStatus(ref, ctx())).lines).toEqual([{ supplierSku: sku, ordered: 4, shipped: 0, backordered: 4, cancelled: 0 }]);
    sb.advanceOrder(ack.supplierOrderId, 'partially_shipped');
    const partial = await connector.getOrderStatus(ref, ctx());
    expect(partial.status).toBe('partially_shipped');
    expect(partial.shipments[0]!.lines).toEqual([{ supplierSku: sku, quantity: 2 }]);
    sb.advanceOrder(ack.supplierOrderId, 'delivered');
    expect((await connector.getOrderStatus(ref, ctx())).status).toBe('delivered');
  });

  it('lookupItems resolves webhook inventory item ids to SKUs, 50 ids a call, exact hits only', async () => {
    const { sb, connector } = await setup();
    // Inventory item 46 100 000 000 + n belongs to universe product n, whose SKU ends in -n (sandboxes/graphql/world.ts).
    const indexOf = (sku: string): number => Number(sku.slice(sku.lastIndexOf('-') + 1));
    const carried = sb.supplierSkus().slice(0, 51);
    const ids = carried.map((sku) => String(46_100_000_000 + indexOf(sku)));
    sb.resetStats();
    // A missing universe index (this catalog skips some), a non-numeric ref and a repeat add nothing and cost nothing.
    const missing = String(46_100_000_000 + [...Array(200).keys()].find((n) => !carried.some((sku) => indexOf(sku) === n))!);
    const found = await connector.lookupItems!([...ids, ids[0]!, missing, 'gid OR sku:*'], ctx());
    expect(sb.stats().total).toBe(2);
    expect(found.size).toBe(51);
    for (const [i, id] of ids.entries()) expect(found.get(id)).toBe(carried[i]);
    expect(found.has(missing)).toBe(false);
  });

  it('reports refused credentials in health() instead of throwing', async () => {
    const { sb } = await setup();
    const bad = createMaplecartConnector({ baseUrl: sb.url, accessToken: 'shpat_wrong', timeoutMs: 1_000 });
    const report = await bad.health(ctx());
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/^MISCONFIGURED/);
    expect(report.detail).not.toContain('shpat_wrong');
  });
});
