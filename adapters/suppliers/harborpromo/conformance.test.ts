/**
 * Conformance: the PromoStandards connector reads what the standard's XSDs allow, not only what our sandbox sends.
 * Every answer below is written from the published schemas (test/fixtures/harborpromo/conformance/), validated with
 * xmllint, then served over HTTP to the real connector (the `soap` client parses it exactly as in production).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, SupplierConnector } from '../../core/connector.ts';
import { createLogger, silentLogger } from '../../../platform/logger.ts';
import { validateEnvelope } from '../../../test/support/promostandards-xsd.ts';
import { createPromoStandardsConnector } from './connector.ts';

const DIR = path.resolve(import.meta.dirname, '../../../test/fixtures/harborpromo');
const fixture = (name: string) => readFileSync(path.join(DIR, name), 'utf8');

const XSD = {
  sellable: 'promostandards/product-data-2.0.0/GetProductSellableResponse.xsd',
  product: 'promostandards/product-data-2.0.0/GetProductResponse.xsd',
  inventory: 'promostandards/inventory-2.0.0/GetInventoryLevelsResponse.xsd',
  status: 'promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd',
  osn: 'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd',
};
const CONFORMANCE: Record<string, string> = {
  'conformance/sellable.xml': XSD.sellable,
  'conformance/product-p100.xml': XSD.product,
  'conformance/product-p200.xml': XSD.product,
  'conformance/inventory-p100.xml': XSD.inventory,
  'conformance/inventory-p200-error-beside-data.xml': XSD.inventory,
  'conformance/inventory-auth-unavailable.xml': XSD.inventory,
  'conformance/order-status-per-line.xml': XSD.status,
};

/** The standard's common codes in an otherwise valid Inventory answer (built from the 110 fixture). */
const inventoryMessage = (code: number, description: string) =>
  fixture('conformance/inventory-auth-unavailable.xml').replace('<ns3:code>110</ns3:code>', `<ns3:code>${code}</ns3:code>`).replace('Authentication Service Unavailable', description);

type Answer = { status: number; body: string };
const soapAnswer = (body: string): Answer => ({ status: 200, body });

/** The supplier: answers per request element (and productId), as scripted by the current test. */
let script: (operation: string, productId: string | undefined) => Answer;
const DEFAULT_SCRIPT = (operation: string, productId: string | undefined): Answer => {
  if (operation === 'GetProductSellableRequest') return soapAnswer(fixture('conformance/sellable.xml'));
  if (operation === 'GetProductRequest') return soapAnswer(fixture(`conformance/product-${productId === 'P-100' ? 'p100' : 'p200'}.xml`));
  if (operation === 'GetInventoryLevelsRequest') {
    return soapAnswer(fixture(productId === 'P-100' ? 'conformance/inventory-p100.xml' : 'conformance/inventory-p200-error-beside-data.xml'));
  }
  if (operation === 'GetOrderStatusRequest') return soapAnswer(fixture('conformance/order-status-per-line.xml'));
  if (operation === 'GetOrderShipmentNotificationRequest') return soapAnswer(fixture('get-order-shipment-notification-none.xml'));
  return { status: 500, body: 'unscripted' };
};
const seen: { path: string; operation: string }[] = [];

let server: http.Server;
let base = '';
let connector: SupplierConnector;
const PASSWORD = 'conformance-Secret-9';
const SERVICES = { productData: '/svc/pd', inventory: '/svc/inv', purchaseOrder: '/svc/po', orderStatus: '/svc/os', shipmentNotification: '/svc/osn' };
const ctx = (lane: CallContext['lane'] = 'interactive', log = silentLogger()): CallContext => ({ signal: new AbortController().signal, log, requestId: 'conformance', lane });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const operation = /<(?:[\w-]+:)?(\w+Request)\b/.exec(body)?.[1] ?? 'unknown';
      const productId = /<(?:[\w-]+:)?productId\b[^>]*>([^<]+)</.exec(body)?.[1];
      seen.push({ path: req.url ?? '', operation });
      const answer = script(operation, productId);
      res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  script = DEFAULT_SCRIPT;
  connector = await createPromoStandardsConnector({
    supplier: 'conformance',
    url: base,
    services: SERVICES,
    credentials: { id: 'dist-1', password: PASSWORD },
    timeoutMs: 3_000,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1 },
  });
});
afterAll(async () => {
  await connector.close();
  await new Promise((r) => server.close(r));
});

describe('answers built from the XSDs', () => {
  it.each(Object.entries(CONFORMANCE))('%s validates against %s', async (name, xsd) => {
    const result = await validateEnvelope(fixture(name), xsd);
    expect(result.output).toContain('validates');
  });

  it('the standard codes built from the 110 answer validate too', async () => {
    for (const code of [100, 104, 105, 999]) expect((await validateEnvelope(inventoryMessage(code, 'x'), XSD.inventory)).valid).toBe(true);
  });
});

describe('the connector reads them', () => {
  it('several parts, several locations, incoming stock by date, an Information message beside data, default namespaces', async () => {
    script = DEFAULT_SCRIPT;
    seen.length = 0;
    const stock = await connector.getStock(['P100-RED-S', 'P100-RED-M', 'P100-BLU-S'], ctx());
    // One Inventory call for the three parts, at the Inventory endpoint.
    expect(seen.filter((s) => s.operation === 'GetInventoryLevelsRequest')).toEqual([{ path: '/svc/inv', operation: 'GetInventoryLevelsRequest' }]);
    const bySku = new Map(stock.map((s) => [s.supplierSku, s]));
    const cost = { amount: '3.45', currency: 'USD' };
    expect(bySku.get('P100-RED-S')).toEqual({
      supplierSku: 'P100-RED-S',
      available: 15,
      status: 'in_stock',
      cost,
      leadTimeDays: 12,
      asOf: '2026-11-30T10:00:00.000Z',
      incoming: [
        { quantity: 150, availableOn: '2027-01-10T00:00:00.000Z' },
        { quantity: 20, availableOn: '2027-02-01T00:00:00.000Z' },
      ],
    });
    expect(bySku.get('P100-RED-M')).toMatchObject({ available: 0, status: 'backordered', cost, leadTimeDays: null });
    expect(bySku.get('P100-RED-M')).not.toHaveProperty('incoming');
    expect(bySku.get('P100-BLU-S')).toMatchObject({ available: 3, status: 'low_stock', incoming: [{ quantity: 24, availableOn: '2027-03-15T05:00:00.000Z' }] });
  });

  it('keeps the parts an Error message beside data does not concern (other prefixes, declared on the envelope)', async () => {
    script = DEFAULT_SCRIPT;
    const stock = await connector.getStock(['P200-GRN-L', 'P200-GRN-XL'], ctx());
    expect(stock).toEqual([expect.objectContaining({ supplierSku: 'P200-GRN-L', available: 64, cost: { amount: '12.50', currency: 'CAD' } })]);
  });

  it('catalog: one item per part, MPN per part from its own marketing point, GTINs normalised, default namespaces', async () => {
    script = DEFAULT_SCRIPT;
    const page = await connector.listCatalog(null, ctx('sync'));
    expect(page.nextCursor).toBeNull();
    const items = new Map(page.items.map((i) => [i.supplierSku, i]));
    expect([...items.keys()].sort()).toEqual(['P100-BLU-S', 'P100-RED-M', 'P100-RED-S', 'P200-GRN-L', 'P200-GRN-XL']);
    expect(items.get('P100-RED-S')).toMatchObject({ mpn: 'G5000-RED-S', manufacturer: 'Gildan Activewear', brand: 'Gildan', gtin: '00012345678905' });
    expect(items.get('P100-RED-M')).toMatchObject({ mpn: 'G5000-RED-M', gtin: '00012345678912' });
    // No MPN point for a two-part product: no part gets a made-up one.
    expect(items.get('P200-GRN-L')).toMatchObject({ mpn: null, manufacturer: 'Hanesbrands', brand: 'Hanes', gtin: '00012345678936', title: 'Conformance Hoodie' });
    expect(items.get('P200-GRN-XL')).toMatchObject({ mpn: null, gtin: null });
  });

  it('per-line Order Status: shipped lines shipped, unflagged lines not backordered, held lines backordered', async () => {
    script = DEFAULT_SCRIPT;
    const status = await connector.getOrderStatus({ supplierOrderId: 'T-1', idempotencyKey: 'PO-CONF-1' }, ctx('order'));
    expect(status.status).toBe('partially_shipped');
    expect(status.rawStatus).toBe('partiallyShipped,confirmed/backOrderHold');
    expect(status.updatedAt).toBe('2026-12-01T10:00:00.000Z');
    expect(new Map(status.lines.map((l) => [l.supplierSku, l]))).toEqual(
      new Map([
        ['P100-RED-S', { supplierSku: 'P100-RED-S', status: 'shipped', ordered: 4, shipped: 4, backordered: 0, cancelled: 0 }],
        ['P100-BLU-S', { supplierSku: 'P100-BLU-S', status: 'accepted', ordered: 2, shipped: 0, backordered: 0, cancelled: 0 }],
        ['P200-GRN-L', { supplierSku: 'P200-GRN-L', status: 'backordered', ordered: 5, shipped: 0, backordered: 5, cancelled: 0 }],
        ['P100-RED-M', { supplierSku: 'P100-RED-M', status: 'accepted', ordered: 1, shipped: 0, backordered: 0, cancelled: 0 }],
      ]),
    );
  });
});

describe('errors: the supplier’s own words reach the operator, classified by the standard', () => {
  const inventoryAnswer = (answer: Answer) => {
    script = (operation, productId) => (operation === 'GetInventoryLevelsRequest' ? answer : DEFAULT_SCRIPT(operation, productId));
  };

  it('110 (its authentication service is down) and 999 are transient; 100, 104, 105 are our misconfiguration', async () => {
    inventoryAnswer(soapAnswer(fixture('conformance/inventory-auth-unavailable.xml')));
    await expect(connector.getStock(['P100-RED-S'], ctx())).rejects.toMatchObject({
      code: 'SUPPLIER_UNAVAILABLE',
      errorClass: 'transient',
      supplier: 'conformance',
      details: { serviceMessageCode: 110, serviceMessageDescription: 'Authentication Service Unavailable' },
    });
    for (const [code, expected] of [[999, 'SUPPLIER_UNAVAILABLE'], [100, 'MISCONFIGURED'], [104, 'MISCONFIGURED'], [105, 'MISCONFIGURED']] as const) {
      inventoryAnswer(soapAnswer(inventoryMessage(code, `message ${code}`)));
      await expect(connector.getStock(['P100-RED-S'], ctx())).rejects.toMatchObject({ code: expected, details: { serviceMessageCode: code, serviceMessageDescription: `message ${code}` } });
    }
  });

  it('a fault carries HTTP status, fault code and fault text into the operator log, without our password', async () => {
    const echo = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Database timeout for request &lt;password&gt;${PASSWORD}&lt;/password&gt; (pw ${PASSWORD})</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
    inventoryAnswer({ status: 503, body: echo });
    const error = await connector.getStock(['P100-RED-S'], ctx()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE', details: { supplier: 'conformance', httpStatus: 503, faultcode: 'Server' } });
    const details = (error as { details: { faultstring: string } }).details;
    expect(details.faultstring).toContain('Database timeout');
    expect(JSON.stringify(details)).not.toContain(PASSWORD);
    expect((error as Error).message).not.toContain(PASSWORD);
    // What an operator sees when the error is logged the way the stack logs supplier failures.
    const lines: string[] = [];
    const log = createLogger({ destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
    log.warn({ supplier: 'conformance', err: error }, 'supplier call failed');
    expect(lines.join('')).toContain('"httpStatus":503');
    expect(lines.join('')).toContain('Database timeout');
    expect(lines.join('')).not.toContain(PASSWORD);
  });

  it('a retried read logs its warning with the error: the supplier code and description behind the retry', async () => {
    let calls = 0;
    script = (operation, productId) => {
      if (operation !== 'GetInventoryLevelsRequest') return DEFAULT_SCRIPT(operation, productId);
      calls += 1;
      return calls === 1 ? soapAnswer(fixture('conformance/inventory-auth-unavailable.xml')) : DEFAULT_SCRIPT(operation, productId);
    };
    const lines: string[] = [];
    const log = createLogger({ destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) });
    const retrying = await createPromoStandardsConnector({
      supplier: 'conformance',
      url: base,
      services: SERVICES,
      credentials: { id: 'dist-1', password: PASSWORD },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 1_000 },
    });
    try {
      expect(await retrying.getStock(['P100-RED-S'], ctx('interactive', log))).toHaveLength(1);
    } finally {
      await retrying.close();
    }
    const warning = lines.map((l) => JSON.parse(l) as { msg: string; err?: { code: string; details: Record<string, unknown> } }).find((l) => l.msg === 'retrying supplier call');
    expect(warning?.err).toMatchObject({ code: 'SUPPLIER_UNAVAILABLE', details: { serviceMessageCode: 110, serviceMessageDescription: 'Authentication Service Unavailable' } });
  });
});
