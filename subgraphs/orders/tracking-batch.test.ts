/**
 * Issue 12, batched status reads: where the supplier answers many orders in one call (PromoStandards Order Status
 * queryType allOpen), a tracking cycle asks once for all its open sub-orders; only what that answer does not carry
 * (orders the supplier has closed) is read one by one. Real connector against the SOAP sandbox, counted there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { SupplierOrderStatus } from '../../kernel/model.ts';
import { createMemoryOrderStore } from '../../adapters/storage/memory/order-store.ts';
import { createPromoStandardsConnector } from '../../adapters/suppliers/harborpromo/connector.ts';
import { silentLogger } from '../../platform/logger.ts';
import type { OrderRecord } from '../../platform/ports/order-store.ts';
import { createSoapSandbox, type SoapSandbox } from '../../sandboxes/soap/index.ts';
import { applySupplierStatus } from './tracking.ts';
import { createTrackingLoop } from './tracking-loop.ts';

const SHIP_TO = { name: 'A B', line1: '1 St', city: 'Reno', postalCode: '89502', country: 'US' };
const ctx = { signal: new AbortController().signal, log: silentLogger(), requestId: 'batch-test', lane: 'order' as const };

function tracked(po: string, supplierOrderId: string, supplierSku: string): OrderRecord {
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    id: `o-${po}`,
    tenant: 't',
    idempotencyKey: `k-${po}`,
    status: 'submitted',
    lines: [{ lineNumber: 1, sku: 'SKU-1', quantity: 1, supplier: 'acmepromo', supplierSku, status: 'submitted', unitCost: null }],
    shipments: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    subOrders: [
      {
        id: `o-${po}-acmepromo`,
        supplier: 'acmepromo',
        idempotencyKey: po,
        lines: [{ lineNumber: 1, sku: 'SKU-1', supplierSku, quantity: 1, unitCost: null }],
        state: 'submitted',
        reservationId: null,
        supplierOrderId,
        status: 'submitted',
        rawStatus: 'sent',
        lineStatus: [],
        attempts: 1,
        lastError: null,
        updatedAt: at,
      },
    ],
    workflow: 'tracking',
  } as OrderRecord;
}

describe('batched order status reads (PromoStandards allOpen)', () => {
  let sandbox: SoapSandbox;
  let connector: SupplierConnector;

  beforeAll(async () => {
    sandbox = await createSoapSandbox({ seed: 5, credentials: { id: 'acct-batch', password: 'batch-secret' } });
    connector = await createPromoStandardsConnector({ supplier: 'acmepromo', url: sandbox.url, credentials: { id: 'acct-batch', password: 'batch-secret' } });
  });
  afterAll(async () => {
    await connector?.close();
    await sandbox?.close();
  });

  it('a tracking cycle reads four open sub-orders with one Order Status call; one the supplier closed is read on its own', async () => {
    const orders = createMemoryOrderStore();
    const skus = sandbox.supplierSkus();
    const placed: { po: string; id: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const po = `PO-BATCH-${Date.now()}-${i}`;
      const ack = await connector.placeOrder({ idempotencyKey: po, lines: [{ lineNumber: 1, supplierSku: skus[i]!, quantity: 1, unitCost: { amount: '1.00', currency: 'USD' } }], shipTo: SHIP_TO }, ctx);
      placed.push({ po, id: ack.supplierOrderId });
      await orders.insert(tracked(po, ack.supplierOrderId, skus[i]!));
    }
    sandbox.advanceOrder(placed[0]!.id, 'accepted');
    sandbox.advanceOrder(placed[4]!.id, 'delivered'); // closed at the supplier: not among allOpen

    const apply = async (tenant: string, orderId: string, subId: string, report: SupplierOrderStatus) => {
      const order = (await orders.get(tenant, orderId))!;
      const next = applySupplierStatus(order, subId, report, new Date().toISOString());
      if (next === order) return null;
      await orders.save(next);
      return next;
    };
    const loop = createTrackingLoop({ orders, connectors: new Map([['acmepromo', connector]]), log: silentLogger(), now: Date.now, submitTimeoutMs: 5_000 }, apply);
    sandbox.resetStats();
    const result = await loop.cycle({ all: true });

    // One allOpen call for the four open ones, one poSearch for the closed one.
    expect(sandbox.stats().byOperation.getOrderStatus).toBe(2);
    expect(result.polled).toEqual({ acmepromo: 2 });
    const statusOf = async (po: string) => (await orders.get('t', `o-${po}`))!.subOrders![0]!;
    expect((await statusOf(placed[0]!.po)).status).toBe('accepted');
    expect((await statusOf(placed[4]!.po)).status).toBe('delivered');
    for (const { po } of placed.slice(1, 4)) expect((await statusOf(po)).rawStatus).toBe('received');
  });
});
