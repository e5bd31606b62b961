import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateEnvelope } from '../../test/support/promostandards-xsd.ts';
import { createSoapSandbox, type SoapSandbox } from './index.ts';

// Hand-written requests on purpose: the sandbox is tested on the wire, with no code from the connector.
const NS = {
  inv: 'http://www.promostandards.org/WSDL/Inventory/2.0.0/',
  pd: 'http://www.promostandards.org/WSDL/ProductDataService/2.0.0/',
  po: 'http://www.promostandards.org/WSDL/PO/1.0.0/',
  os: 'http://www.promostandards.org/WSDL/OrderStatus/2.0.0/',
  osn: 'http://www.promostandards.org/WSDL/OrderShipmentNotificationService/2.0.0/',
  cancel: 'http://www.harborpromo.example/WSDL/OrderCancel/1.0.0/',
};
const XSD = {
  inventory: 'promostandards/inventory-2.0.0/GetInventoryLevelsResponse.xsd',
  product: 'promostandards/product-data-2.0.0/GetProductResponse.xsd',
  sellable: 'promostandards/product-data-2.0.0/GetProductSellableResponse.xsd',
  sendPO: 'promostandards/purchase-order-1.0.0/SendPOResponse.xsd',
  status: 'promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd',
  methods: 'promostandards/order-status-2.0.0/GetServiceMethodsResponse.xsd',
  osn: 'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd',
  cancel: 'harborpromo/order-cancel-1.0.0/OrderCancel.xsd',
};

let sandbox: SoapSandbox;
let id = '';
let password = '';
beforeAll(async () => {
  // With harborpromo's own cancel service, which a standard supplier does not have (tested below).
  sandbox = await createSoapSandbox({ seed: 11, cancelService: true });
  ({ id, password } = sandbox.credentials as { id: string; password: string });
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => sandbox.resetFaults());

const envelope = (body: string, header = '') =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
const auth = (v = '2.0.0', pw = password) => `<s:wsVersion>${v}</s:wsVersion><s:id>${id}</s:id><s:password>${pw}</s:password>`;
const post = async (path: string, body: string) => {
  const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const sku = () => sandbox.supplierSkus()[0]!;
const productOf = (partId: string) => sandbox.productOf(partId)!;
const inventoryRequest = (pw = password, productId = productOf(sku())) =>
  envelope(`<r:GetInventoryLevelsRequest xmlns:r="${NS.inv}" xmlns:s="${NS.inv}SharedObjects/">${auth('2.0.0', pw)}<s:productId>${productId}</s:productId></r:GetInventoryLevelsRequest>`);
const sendPO = (po: string, partId: string, quantity: number) =>
  envelope(
    `<r:SendPORequest xmlns:r="${NS.po}" xmlns:s="${NS.po}SharedObjects/">${auth('1.0.0')}<r:PO><r:orderType>Blank</r:orderType><r:orderNumber>${po}</r:orderNumber>` +
      `<r:orderDate>2026-01-05T10:00:00Z</r:orderDate><r:totalAmount>1.00</r:totalAmount><r:rush>false</r:rush><r:currency>USD</r:currency><r:ShipmentArray><s:Shipment>` +
      `<s:allowConsolidation>false</s:allowConsolidation><s:blindShip>true</s:blindShip><s:packingListRequired>true</s:packingListRequired><s:FreightDetails><s:carrier>UPS</s:carrier>` +
      `<s:service>GROUND</s:service></s:FreightDetails><s:ShipTo><s:customerPickup>false</s:customerPickup><s:ContactDetails><s:address1>1 Main St</s:address1><s:city>Reno</s:city>` +
      `<s:region>NV</s:region><s:postalCode>89502</s:postalCode><s:country>US</s:country></s:ContactDetails><s:shipmentId>1</s:shipmentId></s:ShipTo></s:Shipment></r:ShipmentArray>` +
      `<r:LineItemArray><r:LineItem><r:lineNumber>1</r:lineNumber><s:description>x</s:description><r:lineType>New</r:lineType><s:ToleranceDetails><s:tolerance>ExactOnly</s:tolerance>` +
      `</s:ToleranceDetails><r:allowPartialShipments>true</r:allowPartialShipments><r:lineItemTotal>1.00</r:lineItemTotal><r:PartArray><s:Part><s:partId>${partId}</s:partId>` +
      `<s:customerSupplied>false</s:customerSupplied><s:Quantity><s:uom>EA</s:uom><s:value>${quantity}</s:value></s:Quantity></s:Part></r:PartArray></r:LineItem></r:LineItemArray>` +
      `<r:termsAndConditions>none</r:termsAndConditions></r:PO></r:SendPORequest>`,
  );
const statusRequest = (po: string) =>
  envelope(
    `<r:GetOrderStatusRequest xmlns:r="${NS.os}" xmlns:s="${NS.os}SharedObjects/">${auth()}<s:queryType>poSearch</s:queryType><s:referenceNumber>${po}</s:referenceNumber><s:returnProductDetail>true</s:returnProductDetail></r:GetOrderStatusRequest>`,
  );
const valid = async (xml: string, xsd: string) => {
  const result = await validateEnvelope(xml, xsd);
  expect(result.output).toContain('validates');
};

describe('WSDL and XSDs over HTTP', () => {
  it('serves each WSDL with soap:address rewritten to its real endpoint, and every import resolvable', async () => {
    for (const path of ['/inventory/v2', '/product-data/v2', '/po/v1', '/order-status/v2', '/osn/v2', '/order-cancel/v1']) {
      const wsdlUrl = `${sandbox.url}${path}?wsdl`;
      const wsdl = await (await fetch(wsdlUrl)).text();
      expect(wsdl).toContain(`location="${sandbox.url}${path}"`);
      expect(wsdl).not.toContain('[Endpoint URL]');
      // Follow every schemaLocation, transitively, as a WSDL tool would.
      const queue = [...wsdl.matchAll(/schemaLocation="([^"]+)"/g)].map((m) => new URL(m[1]!, wsdlUrl).href);
      const seen = new Set<string>();
      while (queue.length > 0) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const res = await fetch(url);
        expect(res.status, url).toBe(200);
        const xsd = await res.text();
        expect(xsd).toMatch(/<(\w+:)?schema\b/);
        queue.push(...[...xsd.matchAll(/schemaLocation="([^"]+)"/g)].map((m) => new URL(m[1]!, url).href));
      }
      expect(seen.size).toBeGreaterThan(0);
    }
    expect(sandbox.stats().total).toBe(0);
  });
});

describe('answers validate against the XSDs', () => {
  it('Inventory: several locations summing to the stock the sandbox reports', async () => {
    const { status, text } = await post('/inventory/v2', inventoryRequest());
    expect(status).toBe(200);
    await valid(text, XSD.inventory);
    // One call answers for every part of the product.
    const parts = [...text.matchAll(/<s:PartInventory>([\s\S]*?)<\/s:PartInventory>/g)].map((m) => m[1]!);
    const siblings = sandbox.supplierSkus().filter((p) => productOf(p) === productOf(sku()));
    expect(siblings.length).toBeGreaterThan(1);
    expect(parts).toHaveLength(siblings.length);
    const mine = parts.find((p) => p.includes(`<s:partId>${sku()}</s:partId>`))!;
    const locations = [...mine.matchAll(/<s:inventoryLocationQuantity><s:Quantity><s:uom>EA<\/s:uom><s:value>(\d+)<\/s:value>/g)].map((m) => Number(m[1]));
    expect(locations.length).toBeGreaterThan(1);
    expect(locations.reduce((a, b) => a + b, 0)).toBe(sandbox.stockOf(sku()));
  });

  it('Product Data: getProduct and getProductSellable', async () => {
    const product = await post(
      '/product-data/v2',
      envelope(
        `<r:GetProductRequest xmlns:r="${NS.pd}" xmlns:s="${NS.pd}SharedObjects/">${auth()}<s:localizationCountry>US</s:localizationCountry><s:localizationLanguage>en</s:localizationLanguage><s:productId>${productOf(sku())}</s:productId></r:GetProductRequest>`,
      ),
    );
    await valid(product.text, XSD.product);
    expect(product.text).toMatch(/<s:gtin>\d{12,14}<\/s:gtin>/);
    const sellable = await post('/product-data/v2', envelope(`<r:GetProductSellableRequest xmlns:r="${NS.pd}" xmlns:s="${NS.pd}SharedObjects/">${auth()}<s:isSellable>true</s:isSellable></r:GetProductSellableRequest>`));
    await valid(sellable.text, XSD.sellable);
    expect(sellable.text.match(/<r:ProductSellable>/g)).toHaveLength(sandbox.supplierSkus().length);
  });

  it('sendPO is idempotent by PO number; status, shipments and cancel follow the order', async () => {
    const before = sandbox.orders().length;
    const first = await post('/po/v1', sendPO('PO-SBX-1', sku(), 3));
    await valid(first.text, XSD.sendPO);
    const again = await post('/po/v1', sendPO('PO-SBX-1', sku(), 3));
    await valid(again.text, XSD.sendPO);
    const transactionId = /<r:transactionId>([^<]+)/.exec(first.text)![1]!;
    // A repeat is answered like most suppliers answer it: an Error (code 300), no transactionId, nothing entered.
    expect(again.text).not.toContain('<r:transactionId>');
    expect(again.text).toContain('<s:code>300</s:code>');
    expect(again.text).toContain('<s:severity>Error</s:severity>');
    expect(sandbox.orders().length).toBe(before + 1);

    const received = await post('/order-status/v2', statusRequest('PO-SBX-1'));
    await valid(received.text, XSD.status);
    expect(received.text).toContain('<s:status>received</s:status>');

    sandbox.advanceOrder(transactionId, 'shipped');
    const shipped = await post('/order-status/v2', statusRequest('PO-SBX-1'));
    await valid(shipped.text, XSD.status);
    expect(shipped.text).toContain('<s:status>shipped</s:status>');
    const osn = await post(
      '/osn/v2',
      envelope(`<r:GetOrderShipmentNotificationRequest xmlns:r="${NS.osn}" xmlns:s="${NS.osn}SharedObjects/">${auth()}<s:queryType>1</s:queryType><s:referenceNumber>PO-SBX-1</s:referenceNumber></r:GetOrderShipmentNotificationRequest>`),
    );
    await valid(osn.text, XSD.osn);
    expect(osn.text).toMatch(/<s:trackingNumber>1Z\w+<\/s:trackingNumber>/);
    expect(osn.text).toContain('<s:carrier>UPS</s:carrier>');

    const cancel = (po: string) =>
      post('/order-cancel/v1', envelope(`<c:CancelOrderRequest xmlns:c="${NS.cancel}"><c:wsVersion>1.0.0</c:wsVersion><c:id>${id}</c:id><c:password>${password}</c:password><c:purchaseOrderNumber>${po}</c:purchaseOrderNumber></c:CancelOrderRequest>`));
    const late = await cancel('PO-SBX-1');
    await valid(late.text, XSD.cancel);
    expect(late.text).toContain('<c:code>310</c:code>');
    await post('/po/v1', sendPO('PO-SBX-2', sku(), 1));
    const ok = await cancel('PO-SBX-2');
    await valid(ok.text, XSD.cancel);
    expect(ok.text).toContain('<c:status>canceled</c:status>');
  });

  it('Order Status: unknown PO is code 301; getServiceMethods lists the methods', async () => {
    const missing = await post('/order-status/v2', statusRequest('PO-NEVER'));
    await valid(missing.text, XSD.status);
    expect(missing.text).toContain('<s:code>301</s:code>');
    const methods = await post('/order-status/v2', envelope(`<r:GetServiceMethodsRequest xmlns:r="${NS.os}" xmlns:s="${NS.os}SharedObjects/">${auth()}</r:GetServiceMethodsRequest>`));
    await valid(methods.text, XSD.methods);
  });
});

describe('credentials and hostile input', () => {
  it('refuses a wrong password with ServiceMessage 105 in an XSD-valid answer', async () => {
    const { status, text } = await post('/inventory/v2', inventoryRequest('wrong'));
    expect(status).toBe(200);
    await valid(text, XSD.inventory);
    expect(text).toContain('<s:code>105</s:code>');
    expect(text).not.toContain('<s:Inventory>');
  });

  it('checks a WS-Security UsernameToken when one is sent', async () => {
    const header = (pw: string) =>
      `<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>${id}</wsse:Username><wsse:Password>${pw}</wsse:Password></wsse:UsernameToken></wsse:Security></soap:Header>`;
    const body = `<r:GetInventoryLevelsRequest xmlns:r="${NS.inv}" xmlns:s="${NS.inv}SharedObjects/">${auth()}<s:productId>${productOf(sku())}</s:productId></r:GetInventoryLevelsRequest>`;
    expect((await post('/inventory/v2', envelope(body, header(password)))).text).toContain('<s:Inventory>');
    expect((await post('/inventory/v2', envelope(body, header('nope')))).text).toContain('<s:code>105</s:code>');
  });

  it('answers unqualified (wrongly namespaced) requests with a Client fault', async () => {
    const { status, text } = await post('/inventory/v2', envelope(`<getInventoryLevelsRequest><wsVersion>2.0.0</wsVersion><id>${id}</id></getInventoryLevelsRequest>`));
    expect(status).toBe(500);
    expect(text).toContain('<faultcode>soap:Client</faultcode>');
  });

  it('refuses DOCTYPE (entity expansion) and malformed XML with a Client fault', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${inventoryRequest().replace('<?xml version="1.0" encoding="utf-8"?>', '')}`;
    const refused = await post('/inventory/v2', bomb);
    expect(refused.status).toBe(500);
    expect(refused.text).toContain('DOCTYPE');
    const broken = await post('/inventory/v2', inventoryRequest().slice(0, 120));
    expect(broken.status).toBe(500);
    expect(broken.text).toContain('<faultcode>soap:Client</faultcode>');
  });
});

describe('fault knobs and stats', () => {
  it('throttles with 429 and Retry-After', async () => {
    sandbox.setFaults({ throttle: { count: 1, retryAfterSeconds: 2 } });
    const throttled = await post('/inventory/v2', inventoryRequest());
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('2');
    expect((await post('/inventory/v2', inventoryRequest())).status).toBe(200);
  });

  it('errorRate gives soap:Server faults and rejectRate soap:Client faults, both HTTP 500', async () => {
    sandbox.setFaults({ errorRate: 1 });
    const server = await post('/inventory/v2', inventoryRequest());
    expect([server.status, server.text.includes('<faultcode>soap:Server</faultcode>')]).toEqual([500, true]);
    sandbox.setFaults({ errorRate: 0, rejectRate: 1 });
    const client = await post('/inventory/v2', inventoryRequest());
    expect([client.status, client.text.includes('<faultcode>soap:Client</faultcode>')]).toEqual([500, true]);
  });

  it('malformedRate truncates a 200 answer; down destroys the connection', async () => {
    sandbox.setFaults({ malformedRate: 1 });
    const mangled = await post('/inventory/v2', inventoryRequest());
    expect(mangled.status).toBe(200);
    expect((await validateEnvelope(mangled.text, XSD.inventory)).valid).toBe(false);
    sandbox.setFaults({ malformedRate: 0, down: true });
    await expect(post('/inventory/v2', inventoryRequest())).rejects.toThrow();
  });

  it('counts SOAP requests per operation, not WSDL fetches, and the largest stock batch', async () => {
    sandbox.resetStats();
    await fetch(`${sandbox.url}/inventory/v2?wsdl`).then((r) => r.text());
    await post('/inventory/v2', inventoryRequest());
    await post('/order-status/v2', statusRequest('PO-NEVER'));
    const parts = sandbox.supplierSkus().filter((p) => productOf(p) === productOf(sku())).length;
    expect(sandbox.stats()).toEqual({ total: 2, byOperation: { getInventoryLevels: 1, getOrderStatus: 1 }, maxStockBatch: parts, overLimit: 0 });
  });

  it('refuses requests over its published limit with 429 + Retry-After, counting them as over the limit', async () => {
    const limited = await createSoapSandbox({ seed: 11, publishedLimit: { limit: 3, perSeconds: 60 } });
    try {
      const creds = limited.credentials as { id: string; password: string };
      const request = inventoryRequest().replace(`<s:id>${id}</s:id><s:password>${password}</s:password>`, `<s:id>${creds.id}</s:id><s:password>${creds.password}</s:password>`);
      const send = () => fetch(`${limited.url}/inventory/v2`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: request });
      // A fault-knob 429 still counts as a request the supplier received, but not as one over the limit.
      limited.setFaults({ throttle: { count: 1, retryAfterSeconds: 1 } });
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await send()).status);
      expect(statuses).toEqual([429, 200, 200, 429, 429]);
      const refused = await send();
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
      expect(limited.stats()).toMatchObject({ total: 6, overLimit: 3 });
      const overHttp = (await (await fetch(`${limited.url}/__sandbox/stats`)).json()) as { overLimit: number };
      expect(overHttp.overLimit).toBe(3);
    } finally {
      await limited.close();
    }
  });

  it('offers the same controls over HTTP under /__sandbox/', async () => {
    const control = (method: string, route: string, body?: unknown) =>
      fetch(`${sandbox.url}/__sandbox/${route}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    await control('POST', 'faults', { throttle: { count: 1, retryAfterSeconds: 1 } });
    expect((await post('/inventory/v2', inventoryRequest())).status).toBe(429);
    await control('POST', 'reset-faults');
    await control('POST', 'drift', { supplierSku: sku(), available: 4321 });
    expect(sandbox.stockOf(sku())).toBe(4321);
    expect((await post('/inventory/v2', inventoryRequest())).text).toContain('<s:value>4321</s:value>');
    expect(((await (await control('GET', 'stats')).json()) as { total: number }).total).toBeGreaterThan(0);
    await control('POST', 'reset-stats');
    expect(sandbox.stats().total).toBe(0);
    expect(Array.isArray(await (await control('GET', 'orders')).json())).toBe(true);
  });
});

describe('a standard PromoStandards supplier by default, each instance its own', () => {
  const sellableRequest = (creds: { id: string; password: string }) =>
    envelope(
      `<r:GetProductSellableRequest xmlns:r="${NS.pd}" xmlns:s="${NS.pd}SharedObjects/"><s:wsVersion>2.0.0</s:wsVersion><s:id>${creds.id}</s:id><s:password>${creds.password}</s:password><s:isSellable>true</s:isSellable></r:GetProductSellableRequest>`,
    );

  it('has no Order Cancel service unless asked: its path is unknown, like any other', async () => {
    const standard = await createSoapSandbox();
    try {
      expect(Object.keys(standard.endpoints).sort()).toEqual(['inventory', 'orderStatus', 'productData', 'purchaseOrder', 'shipmentNotification']);
      const res = await fetch(`${standard.url}/order-cancel/v1`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<x/>' });
      expect(res.status).toBe(404);
      expect((await fetch(`${standard.url}/order-cancel/v1?wsdl`)).status).toBe(404);
      expect(sandbox.endpoints.orderCancel).toBe(`${sandbox.url}/order-cancel/v1`);
    } finally {
      await standard.close();
    }
  });

  it('serves each service at the paths, with the credentials and the catalog of its own instance', async () => {
    const paths = { productData: '/ps/ProductData/v2/ProductDataService.svc', inventory: '/ps/Inventory/v2/InventoryService.svc', purchaseOrder: '/orders/po', orderStatus: '/orders/status', shipmentNotification: '/orders/osn' };
    const other = await createSoapSandbox({ paths, credentials: { id: 'acct-2', password: 'second-secret' }, catalogSeed: 5 });
    try {
      expect(other.endpoints).toEqual(Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, `${other.url}${p}`])));
      // The old default paths are nobody's here.
      expect((await fetch(`${other.url}/product-data/v2`, { method: 'POST', body: sellableRequest(other.credentials as never) })).status).toBe(404);
      const answer = await fetch(other.endpoints.productData!, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sellableRequest({ id: 'acct-2', password: 'second-secret' }) });
      const text = await answer.text();
      await valid(text, XSD.sellable);
      expect(text.match(/<r:ProductSellable>/g)).toHaveLength(other.supplierSkus().length);
      // The first instance's credentials are refused by the second, and its catalog differs.
      const refused = await (await fetch(other.endpoints.productData!, { method: 'POST', body: sellableRequest({ id, password }) })).text();
      expect(refused).toContain('<s:code>105</s:code>');
      expect(other.supplierSkus()).not.toEqual(sandbox.supplierSkus());
      // Two services sharing a folder: each one's XSDs still resolve next to its WSDL.
      for (const service of ['purchaseOrder', 'orderStatus'] as const) {
        const wsdlUrl = `${other.endpoints[service]}?wsdl`;
        const wsdl = await (await fetch(wsdlUrl)).text();
        for (const m of wsdl.matchAll(/schemaLocation="([^"]+)"/g)) expect((await fetch(new URL(m[1]!, wsdlUrl))).status, m[1]).toBe(200);
      }
    } finally {
      await other.close();
    }
  });

  it('has several parts per product (the old one-part quirk is an option), and incoming stock for low parts', async () => {
    const byProduct = new Map<string, number>();
    for (const p of sandbox.supplierSkus()) byProduct.set(productOf(p), (byProduct.get(productOf(p)) ?? 0) + 1);
    expect(Math.min(...byProduct.values())).toBeGreaterThan(1);
    const quirky = await createSoapSandbox({ onePartPerProduct: true });
    try {
      expect(new Set(quirky.supplierSkus().map((p) => quirky.productOf(p))).size).toBe(quirky.supplierSkus().length);
    } finally {
      await quirky.close();
    }
    sandbox.driftStock(sku(), 3);
    const { text } = await post('/inventory/v2', inventoryRequest());
    await valid(text, XSD.inventory);
    const mine = [...text.matchAll(/<s:PartInventory>([\s\S]*?)<\/s:PartInventory>/g)].map((m) => m[1]!).find((p) => p.includes(`<s:partId>${sku()}</s:partId>`))!;
    expect(mine).toMatch(/<s:FutureAvailability><s:Quantity><s:uom>EA<\/s:uom><s:value>250<\/s:value><\/s:Quantity><s:availableOn>[^<]+<\/s:availableOn>/);
  });

  it('faults one service at a time (Product Data down while Inventory answers), in process and over HTTP', async () => {
    sandbox.setServiceFaults('productData', { down: true });
    expect((await post('/inventory/v2', inventoryRequest())).status).toBe(200);
    await expect(post('/product-data/v2', envelope(`<r:GetProductSellableRequest xmlns:r="${NS.pd}" xmlns:s="${NS.pd}SharedObjects/">${auth()}<s:isSellable>true</s:isSellable></r:GetProductSellableRequest>`))).rejects.toThrow();
    sandbox.resetFaults();
    const control = await fetch(`${sandbox.url}/__sandbox/service-faults`, { method: 'POST', body: JSON.stringify({ service: 'inventory', errorRate: 1 }) });
    expect(control.status).toBe(200);
    expect((await post('/inventory/v2', inventoryRequest())).text).toContain('soap:Server');
    expect((await post('/order-status/v2', statusRequest('PO-NEVER'))).status).toBe(200);
    await fetch(`${sandbox.url}/__sandbox/reset-faults`, { method: 'POST' });
    expect((await post('/inventory/v2', inventoryRequest())).status).toBe(200);
  });
});
