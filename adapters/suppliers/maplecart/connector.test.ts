/**
 * maplecart-specific connector behaviour beyond the shared contract: cost-based throttling against a really
 * drained bucket, the natural-key fallback, idempotent cancel, and userError mapping.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../core/errors.ts';
import { silentLogger } from '../../../platform/logger.ts';
import { createGraphqlSandbox, GRAPHQL_PATH, type GraphqlSandbox, type GraphqlSandboxOptions } from '../../../sandboxes/graphql/index.ts';
import type { CallContext } from '../../core/connector.ts';
import type { SupplierOrder } from '../../core/model.ts';
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

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('expected failure'),
    (e: unknown) => e,
  );
  return isRegistryError(error) ? error.code : `not a registry error: ${String(error)}`;
}

describe('maplecart connector', () => {
  it('waits out a real cost-based THROTTLED for (requested − available) / restoreRate, then reads', async () => {
    const { sb, connector } = await setup({ costBudget: { maximumAvailable: 1_000, restoreRate: 100 } });
    const sku = sb.supplierSkus()[0]!;
    sb.drainCostBucket(0);
    sb.resetStats();
    const started = Date.now();
    const stock = await connector.getStock([sku], ctx());
    // One variant costs 2 + 16 = 18 points: 180 ms at 100 points a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(stock.map((s) => s.supplierSku)).toEqual([sku]);
    expect(sb.stats().total).toBe(2);
    expect(connector.throttleStatus()).toMatchObject({ maximumAvailable: 1_000, restoreRate: 100 });
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

  it('reports refused credentials in health() instead of throwing', async () => {
    const { sb } = await setup();
    const bad = createMaplecartConnector({ baseUrl: sb.url, accessToken: 'shpat_wrong', timeoutMs: 1_000 });
    const report = await bad.health(ctx());
    expect(report.ok).toBe(false);
    expect(report.detail).toMatch(/^MISCONFIGURED/);
    expect(report.detail).not.toContain('shpat_wrong');
  });
});
