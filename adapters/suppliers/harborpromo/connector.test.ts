import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupplierConnector } from '../../core/connector.ts';
import { silentLogger } from '../../../platform/logger.ts';
import type { SupplierSandbox } from '../../../sandboxes/shared/sandbox.ts';
import { createSoapSandbox } from '../../../sandboxes/soap/index.ts';
import { validateEnvelope } from '../../../test/support/promostandards-xsd.ts';
import { createPromoStandardsConnector, type HarborService } from './connector.ts';

const REQUEST_XSD: Record<string, string> = {
  getInventoryLevels: 'promostandards/inventory-2.0.0/GetInventoryLevelsRequest.xsd',
  getProductSellable: 'promostandards/product-data-2.0.0/GetProductSellableRequest.xsd',
  getProduct: 'promostandards/product-data-2.0.0/GetProductRequest.xsd',
  sendPO: 'promostandards/purchase-order-1.0.0/SendPORequest.xsd',
  getOrderStatus: 'promostandards/order-status-2.0.0/GetOrderStatusRequest.xsd',
  getServiceMethods: 'promostandards/order-status-2.0.0/GetServiceMethodsRequest.xsd',
  getOrderShipmentNotification: 'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationRequest.xsd',
  cancelOrder: 'harborpromo/order-cancel-1.0.0/OrderCancel.xsd',
};

const ctx = () => ({ signal: new AbortController().signal, log: silentLogger(), requestId: 't', lane: 'order' as const });

describe('PromoStandards connector on the wire', () => {
  let sandbox: SupplierSandbox;
  let connector: SupplierConnector;
  const sent: { service: HarborService; operation: string; xml: string }[] = [];
  beforeAll(async () => {
    // With harborpromo's own Order Cancel service, so its request is checked too.
    sandbox = await createSoapSandbox({ cancelService: true });
    const { id, password } = sandbox.credentials as { id: string; password: string };
    connector = await createPromoStandardsConnector({
      supplier: 'harborpromo',
      url: sandbox.url,
      services: { orderCancel: '/order-cancel/v1' },
      credentials: { id, password },
      wsSecurity: true,
      onRequestXml: (service, operation, xml) => sent.push({ service, operation, xml }),
    });
  });
  afterAll(async () => {
    await connector.close();
    await sandbox.close();
  });

  it('sends only XSD-valid requests through a whole order lifecycle, with the PO number as the key', async () => {
    const skus = sandbox.supplierSkus().filter((s) => (sandbox.stockOf(s) ?? 0) > 10);
    const stock = await connector.getStock(skus.slice(0, 3), ctx());
    expect(stock).toHaveLength(3);
    expect(stock[0]!.cost).toMatchObject({ currency: 'USD' });
    await connector.listCatalog(null, ctx());
    const order = {
      idempotencyKey: 'PO-WIRE-1',
      lines: [{ lineNumber: 1, supplierSku: skus[0]!, quantity: 2 }],
      shipTo: { name: 'Grace Hopper', company: 'Navy', line1: '1 Compiler Way', line2: 'Suite 2', city: 'Arlington', region: 'VA', postalCode: '22202', country: 'US', phone: '+1 555 0100', email: 'g@example.com' },
    };
    const ack = await connector.placeOrder(order, ctx());
    // The resend is answered with the supplier's duplicate Error: read back by PO number, not taken for a refusal.
    const again = await connector.placeOrder(order, ctx());
    const [stored] = sandbox.orders() as { purchaseOrderNumber: string; salesOrderNumber: string; shipTo: { attentionTo: string } }[];
    expect(again).toEqual({ supplierOrderId: stored!.salesOrderNumber, status: 'submitted', rawStatus: 'received', alreadyExisted: true });
    expect(sandbox.orders()).toHaveLength(1);
    expect(stored).toMatchObject({ purchaseOrderNumber: 'PO-WIRE-1', shipTo: { attentionTo: 'Grace Hopper' } });
    sandbox.advanceOrder(ack.supplierOrderId, 'partially_shipped');
    const partial = await connector.getOrderStatus({ supplierOrderId: ack.supplierOrderId, idempotencyKey: 'PO-WIRE-1' }, ctx());
    expect(partial).toMatchObject({ status: 'partially_shipped', lines: [{ supplierSku: skus[0], ordered: 2, shipped: 1 }] });
    expect(partial.shipments).toHaveLength(1);
    // The batched read (Order Status allOpen) answers the same, and its request is XSD-valid too.
    const batch = await connector.getOrderStatuses!([{ supplierOrderId: ack.supplierOrderId, idempotencyKey: 'PO-WIRE-1' }], ctx());
    expect(batch.get('PO-WIRE-1')).toMatchObject({ status: 'partially_shipped', lines: [{ supplierSku: skus[0], ordered: 2, shipped: 1 }] });
    const allOpen = sent.filter((s) => s.operation === 'getOrderStatus' && s.xml.includes('allOpen')).at(-1)!;
    expect((await validateEnvelope(allOpen.xml, REQUEST_XSD['getOrderStatus']!)).output).toContain('validates');
    await expect(connector.cancelOrder({ supplierOrderId: ack.supplierOrderId, idempotencyKey: 'PO-WIRE-1' }, ctx())).rejects.toMatchObject({ code: 'ORDER_NOT_CANCELLABLE' });
    expect((await connector.health(ctx())).ok).toBe(true);

    const operations = new Set(sent.map((s) => s.operation));
    expect([...operations].sort()).toEqual(Object.keys(REQUEST_XSD).sort());
    for (const s of sent.filter((x, i) => sent.findIndex((y) => y.operation === x.operation) === i || x.operation === 'sendPO')) {
      const result = await validateEnvelope(s.xml, REQUEST_XSD[s.operation]!);
      expect(result.output, s.operation).toContain('validates');
      expect(s.xml).toContain('wsse:UsernameToken');
    }
  });

  it('refuses an address longer than the PO schema allows instead of truncating it', async () => {
    const order = {
      idempotencyKey: 'PO-WIRE-2',
      lines: [{ lineNumber: 1, supplierSku: sandbox.supplierSkus()[0]!, quantity: 1 }],
      shipTo: { name: 'A'.repeat(36), line1: '1 Way', city: 'Reno', postalCode: '89502', country: 'US' },
    };
    await expect(connector.placeOrder(order, ctx())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
