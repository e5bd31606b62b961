import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRegistryError } from '../../kernel/errors.ts';
import { validateEnvelope } from '../../test/support/promostandards-xsd.ts';
import { createSoapServiceClient, type SoapServiceClient } from './client.ts';
import { PROMOSTANDARDS_WSDL, supplierWsdl } from './promostandards.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/harborpromo');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A server that answers whatever the current test scripts, and records what it was sent. */
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.end();
let received: string[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    received.push(body);
    answer(req, res);
  });
});
let endpoint = '';
const xml = (status: number, body: string, headers: Record<string, string> = {}) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8', ...headers });
  res.end(body);
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/svc`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const CRED = { wsVersion: '2.0.0', id: 'distributor-7', password: 'pw' };
/** Every operation harborpromo is called with: request args in XSD order, the request XSD, a recorded answer. */
const CASES = [
  {
    wsdl: PROMOSTANDARDS_WSDL.inventory,
    operation: 'getInventoryLevels',
    args: { ...CRED, productId: 'HP-1033', Filter: { partIdArray: { partId: ['HP1033-BLA-OS'] } } },
    requestXsd: 'promostandards/inventory-2.0.0/GetInventoryLevelsRequest.xsd',
    response: 'get-inventory-levels.xml',
    check: (r: Record<string, unknown>) => expect(r).toHaveProperty('Inventory.productId', 'HP-1033'),
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.productData,
    operation: 'getProductSellable',
    args: { ...CRED, isSellable: true },
    requestXsd: 'promostandards/product-data-2.0.0/GetProductSellableRequest.xsd',
    response: 'get-product-sellable.xml',
    check: (r: Record<string, unknown>) => expect(r).toHaveProperty('ProductSellableArray'),
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.productData,
    operation: 'getProduct',
    args: { ...CRED, localizationCountry: 'US', localizationLanguage: 'en', productId: 'HP-1033' },
    requestXsd: 'promostandards/product-data-2.0.0/GetProductRequest.xsd',
    response: 'get-product.xml',
    check: (r: Record<string, unknown>) => expect(r).toHaveProperty('Product.productId', 'HP-1033'),
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.purchaseOrder,
    operation: 'sendPO',
    args: {
      ...CRED,
      wsVersion: '1.0.0',
      PO: {
        orderType: 'Blank',
        orderNumber: 'PO-1',
        orderDate: '2026-01-05T10:00:00.000Z',
        totalAmount: '10.00',
        rush: false,
        currency: 'USD',
        ShipmentArray: {
          Shipment: [
            {
              allowConsolidation: false,
              blindShip: true,
              packingListRequired: true,
              FreightDetails: { carrier: 'UPS', service: 'GROUND' },
              ShipTo: {
                customerPickup: false,
                ContactDetails: { attentionTo: 'Ada', address1: '12 Row', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' },
                shipmentId: 1,
              },
            },
          ],
        },
        LineItemArray: {
          LineItem: [
            {
              lineNumber: 1,
              description: 'HP1033-BLA-OS',
              lineType: 'New',
              Quantity: { uom: 'EA', value: 2 },
              ToleranceDetails: { tolerance: 'ExactOnly' },
              allowPartialShipments: true,
              unitPrice: '5.00',
              lineItemTotal: '10.00',
              productId: 'HP-1033',
              PartArray: { Part: [{ partId: 'HP1033-BLA-OS', customerSupplied: false, Quantity: { uom: 'EA', value: 2 } }] },
            },
          ],
        },
        termsAndConditions: 'none',
      },
    },
    requestXsd: 'promostandards/purchase-order-1.0.0/SendPORequest.xsd',
    response: 'send-po.xml',
    check: (r: Record<string, unknown>) => expect(r['transactionId']).toMatch(/^HPT-/),
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.orderStatus,
    operation: 'getOrderStatus',
    args: { ...CRED, queryType: 'poSearch', referenceNumber: 'PO-1', returnProductDetail: true },
    requestXsd: 'promostandards/order-status-2.0.0/GetOrderStatusRequest.xsd',
    response: 'get-order-status-shipped.xml',
    check: (r: Record<string, unknown>) => expect(r).toHaveProperty('OrderStatusArray.OrderStatus.purchaseOrderNumber'),
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.orderStatus,
    operation: 'getServiceMethods',
    args: { ...CRED },
    requestXsd: 'promostandards/order-status-2.0.0/GetServiceMethodsRequest.xsd',
    response: null,
    check: () => undefined,
  },
  {
    wsdl: PROMOSTANDARDS_WSDL.shipmentNotification,
    operation: 'getOrderShipmentNotification',
    args: { ...CRED, queryType: 1, referenceNumber: 'PO-1' },
    requestXsd: 'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationRequest.xsd',
    response: 'get-order-shipment-notification.xml',
    check: (r: Record<string, unknown>) => expect(JSON.stringify(r['OrderShipmentNotificationArray'])).toContain('"trackingNumber":"1Z9HP'),
  },
  {
    wsdl: supplierWsdl('harborpromo/order-cancel-1.0.0/OrderCancelService.wsdl'),
    operation: 'cancelOrder',
    args: { ...CRED, wsVersion: '1.0.0', purchaseOrderNumber: 'PO-1' },
    requestXsd: 'harborpromo/order-cancel-1.0.0/OrderCancel.xsd',
    response: 'cancel-order.xml',
    check: (r: Record<string, unknown>) => expect(r['status']).toBe('canceled'),
  },
] as const;

describe('requests on the wire', () => {
  it.each(CASES)('$operation sends XML that validates against $requestXsd, and reads an XSD-valid answer', async (c) => {
    const sent: string[] = [];
    const client = await createSoapServiceClient({
      supplier: 'test',
      wsdlPath: c.wsdl,
      endpoint,
      operations: { [c.operation]: { kind: 'read' } } as Record<string, { kind: 'read' }>,
      onRequestXml: (_op, x) => sent.push(x),
    });
    answer = xml(200, c.response ? fixture(c.response) : '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>');
    received = [];
    if (c.response) c.check(await client.call(c.operation, c.args, new AbortController().signal));
    else await client.call(c.operation, c.args, new AbortController().signal).catch(() => undefined);
    expect(sent).toHaveLength(1);
    expect(received[0]).toBe(sent[0]);
    const result = await validateEnvelope(sent[0]!, c.requestXsd);
    expect(result.output).toContain('validates');
  });

  // Regression: soap 1.13 on the unmodified Inventory WSDL kept only the first schema of the namespace and sent
  // an unqualified <getInventoryLevelsRequest>, which no PromoStandards server accepts.
  it('regression: the plain soap client sends an invalid getInventoryLevels request; ours does not', async () => {
    const plain = await soap.createClientAsync(PROMOSTANDARDS_WSDL.inventory, { endpoint });
    answer = xml(500, 'x');
    await (plain as unknown as Record<string, (a: unknown) => Promise<unknown>>)['getInventoryLevelsAsync']!(CASES[0].args).catch(() => undefined);
    const bad = await validateEnvelope(plain.lastRequest!, CASES[0].requestXsd);
    expect(bad.valid).toBe(false);
    expect(plain.lastRequest).toContain('<getInventoryLevelsRequest>');
  });

  // Regression: the OSN XSDs bind ns1 to two namespaces; a naive merge sent wsVersion in the service namespace.
  it('regression: Order Shipment Notification request elements are in the SharedObjects namespace', async () => {
    const sent: string[] = [];
    const client = await createSoapServiceClient({
      supplier: 'test',
      wsdlPath: PROMOSTANDARDS_WSDL.shipmentNotification,
      endpoint,
      operations: { getOrderShipmentNotification: { kind: 'read' } },
      onRequestXml: (_op, x) => sent.push(x),
    });
    answer = xml(200, fixture('get-order-shipment-notification.xml'));
    await client.call('getOrderShipmentNotification', CASES[6].args, new AbortController().signal);
    expect(sent[0]).toMatch(/<(\w+):wsVersion xmlns:\1="http:\/\/www\.promostandards\.org\/WSDL\/OrderShipmentNotificationService\/2\.0\.0\/SharedObjects\/"/);
  });

  it('refuses to be built for an operation the WSDL does not have', async () => {
    await expect(
      createSoapServiceClient({ supplier: 'test', wsdlPath: PROMOSTANDARDS_WSDL.inventory, endpoint, operations: { sendPO: { kind: 'write' } } }),
    ).rejects.toMatchObject({ code: 'MISCONFIGURED' });
  });
});

describe('failures become registry errors', () => {
  let client: SoapServiceClient<'getInventoryLevels'>;
  beforeAll(async () => {
    client = await createSoapServiceClient({
      supplier: 'test',
      wsdlPath: PROMOSTANDARDS_WSDL.inventory,
      endpoint,
      operations: { getInventoryLevels: { kind: 'read' } },
    });
  });
  const failure = async (signal = new AbortController().signal) => {
    const error = await client.call('getInventoryLevels', CASES[0].args, signal).then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e,
    );
    expect(isRegistryError(error)).toBe(true);
    return error as { code: string; retryAfterMs?: number; errorClass: string };
  };
  const fault = (code: string) =>
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>boom</faultstring></soap:Fault></soap:Body></soap:Envelope>`;

  it('HTTP 429 → SUPPLIER_THROTTLED with Retry-After', async () => {
    answer = xml(429, 'Too Many Requests', { 'content-type': 'text/plain', 'retry-after': '3' });
    expect(await failure()).toMatchObject({ code: 'SUPPLIER_THROTTLED', retryAfterMs: 3000 });
  });

  it('a Retry-After date is GMT, and a 503 without a fault carries its wait too', async () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    answer = xml(429, 'Too Many Requests', { 'content-type': 'text/plain', 'retry-after': inTenSeconds });
    const throttled = await failure();
    expect(throttled.retryAfterMs).toBeGreaterThan(7_000);
    expect(throttled.retryAfterMs).toBeLessThanOrEqual(10_000);
    answer = xml(503, 'Service Unavailable', { 'content-type': 'text/plain', 'retry-after': '4' });
    expect(await failure()).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE', retryAfterMs: 4000 });
  });

  it('soap:Server fault → SUPPLIER_UNAVAILABLE; soap:Client fault → SUPPLIER_REJECTED', async () => {
    answer = xml(500, fault('Server'));
    expect(await failure()).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE', errorClass: 'transient' });
    answer = xml(500, fault('Client'));
    expect(await failure()).toMatchObject({ code: 'SUPPLIER_REJECTED', errorClass: 'logical' });
  });

  it('5xx without a fault → SUPPLIER_UNAVAILABLE; 401 or 404 (our endpoint is wrong) → MISCONFIGURED; other 4xx → SUPPLIER_REJECTED', async () => {
    answer = xml(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' });
    expect((await failure()).code).toBe('SUPPLIER_UNAVAILABLE');
    answer = xml(401, 'Unauthorized', { 'content-type': 'text/plain' });
    expect((await failure()).code).toBe('MISCONFIGURED');
    answer = xml(404, 'Not Found', { 'content-type': 'text/plain' });
    expect((await failure()).code).toBe('MISCONFIGURED');
    answer = xml(400, 'Bad Request', { 'content-type': 'text/plain' });
    expect((await failure()).code).toBe('SUPPLIER_REJECTED');
  });

  it('an unparseable 200 → CONTRACT_VIOLATION', async () => {
    const body = fixture('get-inventory-levels.xml');
    answer = xml(200, `${body.slice(0, body.length / 2)}\u0000<<`);
    expect(await failure()).toMatchObject({ code: 'CONTRACT_VIOLATION', errorClass: 'critical' });
  });

  it('a destroyed socket or a refused connection → SUPPLIER_UNAVAILABLE', async () => {
    answer = (req) => req.socket.destroy();
    expect((await failure()).code).toBe('SUPPLIER_UNAVAILABLE');
    const refused = await createSoapServiceClient({
      supplier: 'test',
      wsdlPath: PROMOSTANDARDS_WSDL.inventory,
      endpoint: 'http://127.0.0.1:1/svc',
      operations: { getInventoryLevels: { kind: 'read' } },
    });
    await expect(refused.call('getInventoryLevels', CASES[0].args, new AbortController().signal)).rejects.toMatchObject({ code: 'SUPPLIER_UNAVAILABLE' });
  });

  it('the caller abort cancels the HTTP exchange promptly → CALL_ABORTED', async () => {
    answer = (_req, res) => setTimeout(() => xml(200, fixture('get-inventory-levels.xml'))(_req, res), 2_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect((await failure(controller.signal)).code).toBe('CALL_ABORTED');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
