/** Brightline-specific connector behaviour beyond the shared contract (test/contract/), against the sandbox. */
import { afterEach, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import { createRestSandbox, type RestSandbox } from '../../../sandboxes/rest/index.ts';
import { sampleOrder, testContext } from '../../../test/contract/supplier-connector.contract.ts';
import { createBrightlineConnector } from './connector.ts';

let sandbox: RestSandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function setup(options: { tokenTtlSeconds?: number; timeoutMs?: number } = {}) {
  sandbox = await createRestSandbox({ seed: 3, ...(options.tokenTtlSeconds ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}) });
  const connector = createBrightlineConnector({
    baseUrl: sandbox.url,
    ...sandbox.credentials,
    timeoutMs: options.timeoutMs ?? 2_000,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 1_000 },
  });
  const inStock = sandbox.supplierSkus().filter((sku) => (sandbox!.stockOf(sku) ?? 0) >= 20);
  return { sandbox, connector, inStock };
}

const ctx = () => testContext({ lane: 'order' });

describe('brightline connector', () => {
  it('renews short-lived tokens ahead of expiry, so no API call is ever refused', async () => {
    const { sandbox, connector, inStock } = await setup({ tokenTtlSeconds: 1 });
    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1_100));
      await connector.getStock([inStock[0]!], testContext());
    }
    // One API call per read: a refused token would have added a retried call.
    expect(sandbox.stats().total).toBe(3);
    expect(sandbox.stats().byOperation['token']).toBe(3);
  });

  it('tracks an order by customer order number when the supplier order id is unknown', async () => {
    const { sandbox, connector, inStock } = await setup();
    sandbox.driftStock(inStock[0]!, 2);
    const order = sampleOrder([inStock[0]!, inStock[1]!], 5);
    const ack = await connector.placeOrder(order, ctx());
    expect({ status: ack.status, rawStatus: ack.rawStatus }).toEqual({ status: 'backordered', rawStatus: 'BACKORDERED' });
    sandbox.advanceOrder(ack.supplierOrderId, 'partially_shipped');
    const status = await connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: order.idempotencyKey }, ctx());
    expect(status.supplierOrderId).toBe(ack.supplierOrderId);
    expect(status.status).toBe('partially_shipped');
    expect(status.lines).toEqual([
      { supplierSku: inStock[0], ordered: 5, shipped: 2, backordered: 3, cancelled: 0 },
      { supplierSku: inStock[1], ordered: 5, shipped: 5, backordered: 0, cancelled: 0 },
    ]);
    expect(sandbox.stats().byOperation['orders.find']).toBe(1);
  });

  it('cancels by customer order number when the supplier order id is unknown', async () => {
    const { sandbox, connector, inStock } = await setup();
    const order = sampleOrder([inStock[2]!], 1);
    const ack = await connector.placeOrder(order, ctx());
    await connector.cancelOrder({ supplierOrderId: null, idempotencyKey: order.idempotencyKey }, ctx());
    expect((await connector.getOrderStatus({ supplierOrderId: ack.supplierOrderId, idempotencyKey: order.idempotencyKey }, ctx())).status).toBe('cancelled');
    expect(sandbox.stats().byOperation['orders.cancel']).toBe(1);
  });

  it('refuses to treat a different order under a reused key as the same order', async () => {
    const { sandbox, connector, inStock } = await setup();
    const order = sampleOrder([inStock[3]!], 1);
    await connector.placeOrder(order, ctx());
    const error = await connector.placeOrder({ ...order, lines: [{ ...order.lines[0]!, quantity: 9 }] }, ctx()).catch((e: unknown) => e);
    expect(isRegistryError(error) && error.code).toBe('SUPPLIER_REJECTED');
    expect(sandbox.orders()).toHaveLength(1);
  });

  it('reports a supplier slower than the deadline as unhealthy instead of throwing', async () => {
    const { sandbox, connector } = await setup({ timeoutMs: 200 });
    await connector.health(testContext());
    sandbox.setFaults({ latencyMs: 400 });
    const report = await connector.health(testContext());
    expect(report.ok).toBe(false);
    expect(report.detail).toContain('SUPPLIER_TIMEOUT');
  });
});
