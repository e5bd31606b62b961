import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type soap from 'soap';
import { isRegistryError } from '../../../kernel/errors.ts';
import { PROMOSTANDARDS_WSDL, errorFromMessages, serviceMessagesOf, supplierWsdl } from '../../soap/promostandards.ts';
import { loadWsdl } from '../../soap/wsdl-loader.ts';
import { validateEnvelope } from '../../../test/support/promostandards-xsd.ts';
import {
  canonicalStatus,
  combineStatuses,
  mapInventory,
  mapOrderStatus,
  mapProduct,
  mapSellable,
  mapShipments,
  normalizeGtin,
  toSupplierStock,
  unitCostOf,
} from './mapping.ts';
import { multiplyAmount, sumAmounts } from './requests.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/harborpromo');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Each recorded answer, the XSD it must satisfy, and the WSDL whose parser reads it. */
const RECORDED = {
  'get-inventory-levels.xml': ['promostandards/inventory-2.0.0/GetInventoryLevelsResponse.xsd', 'inventory', 'GetInventoryLevelsResponse'],
  'get-inventory-levels-unknown-product.xml': ['promostandards/inventory-2.0.0/GetInventoryLevelsResponse.xsd', 'inventory', 'GetInventoryLevelsResponse'],
  'get-inventory-levels-auth-failed.xml': ['promostandards/inventory-2.0.0/GetInventoryLevelsResponse.xsd', 'inventory', 'GetInventoryLevelsResponse'],
  'get-product.xml': ['promostandards/product-data-2.0.0/GetProductResponse.xsd', 'productData', 'GetProductResponse'],
  'get-product-sellable.xml': ['promostandards/product-data-2.0.0/GetProductSellableResponse.xsd', 'productData', 'GetProductSellableResponse'],
  'send-po.xml': ['promostandards/purchase-order-1.0.0/SendPOResponse.xsd', 'purchaseOrder', 'SendPOResponse'],
  'send-po-duplicate.xml': ['promostandards/purchase-order-1.0.0/SendPOResponse.xsd', 'purchaseOrder', 'SendPOResponse'],
  'send-po-2.xml': ['promostandards/purchase-order-1.0.0/SendPOResponse.xsd', 'purchaseOrder', 'SendPOResponse'],
  'get-order-status-received.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-status-backorder-hold.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-status-partially-shipped.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-status-shipped.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-status-canceled.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-status-not-found.xml': ['promostandards/order-status-2.0.0/GetOrderStatusResponse.xsd', 'orderStatus', 'GetOrderStatusResponse'],
  'get-order-shipment-notification.xml': [
    'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd',
    'shipmentNotification',
    'GetOrderShipmentNotificationResponse',
  ],
  'get-order-shipment-notification-none.xml': [
    'promostandards/order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd',
    'shipmentNotification',
    'GetOrderShipmentNotificationResponse',
  ],
  'cancel-order.xml': ['harborpromo/order-cancel-1.0.0/OrderCancel.xsd', 'orderCancel', 'CancelOrderResponse'],
  'cancel-order-too-late.xml': ['harborpromo/order-cancel-1.0.0/OrderCancel.xsd', 'orderCancel', 'CancelOrderResponse'],
} as const;

const WSDL_PATHS = { ...PROMOSTANDARDS_WSDL, orderCancel: supplierWsdl('harborpromo/order-cancel-1.0.0/OrderCancelService.wsdl') };
const wsdls = new Map<string, soap.WSDL>();

/** Reads a recorded envelope with the same `soap` parser the connector uses, giving what mapping receives. */
function parsed(name: keyof typeof RECORDED): Record<string, unknown> {
  const [, service, element] = RECORDED[name];
  const root = wsdls.get(service)!.xmlToObject(fixture(name)) as { Body: Record<string, Record<string, unknown>> };
  return root.Body[element] ?? {};
}

beforeAll(async () => {
  for (const [service, wsdlPath] of Object.entries(WSDL_PATHS)) wsdls.set(service, await loadWsdl(wsdlPath));
});

describe('recorded harborpromo payloads', () => {
  it.each(Object.entries(RECORDED))('%s validates against %s', async (name, [xsd]) => {
    const result = await validateEnvelope(fixture(name), xsd);
    expect(result.output).toContain('validates');
    expect(result.valid).toBe(true);
  });

  it('the validator does reject a payload that breaks the XSD (so the checks above can fail)', async () => {
    const broken = fixture('get-inventory-levels.xml').replace('<s:mainPart>true</s:mainPart>', '<s:mainPart>maybe</s:mainPart>');
    expect((await validateEnvelope(broken, RECORDED['get-inventory-levels.xml'][0])).valid).toBe(false);
  });
});

describe('inventory', () => {
  it('sums stock over the inventory locations, with lead time and the supplier timestamp', () => {
    const [part] = mapInventory(parsed('get-inventory-levels.xml'));
    const xml = fixture('get-inventory-levels.xml');
    const perLocation = [...xml.matchAll(/<s:inventoryLocationQuantity>\s*<s:Quantity>\s*<s:uom>EA<\/s:uom>\s*<s:value>(\d+)<\/s:value>/g)].map((m) => Number(m[1]));
    expect(perLocation.length).toBeGreaterThan(1);
    expect(part!.available).toBe(perLocation.reduce((a, b) => a + b, 0));
    expect(part!.partId).toMatch(/^HP\d{4}-[A-Z]{3}-(S|M|L|XL|OS)$/);
    expect(part!.leadTimeDays).toBe(Number(/<s:replenishmentLeadTime>(\d+)/.exec(xml)![1]));
    expect(part!.asOf).toBe(new Date(/<s:lastModified>([^<]+)/.exec(xml)![1]!).toISOString());
  });

  it('reads the same from strings and single objects as from typed values and arrays', () => {
    // What `soap` gives when it cannot follow the schema: every value a string, one-element arrays as objects.
    const loose = {
      Inventory: {
        productId: 'HP-1',
        PartInventoryArray: {
          PartInventory: {
            partId: 'HP1-BLA-S',
            mainPart: 'true',
            manufacturedItem: 'false',
            buyToOrder: 'false',
            replenishmentLeadTime: '4',
            InventoryLocationArray: {
              InventoryLocation: [
                { inventoryLocationId: 'A', inventoryLocationQuantity: { Quantity: { uom: 'EA', value: '7' } } },
                { inventoryLocationId: 'B', inventoryLocationQuantity: { Quantity: { uom: 'DZ', value: '1' } } },
              ],
            },
          },
        },
      },
    };
    expect(mapInventory(loose)).toEqual([{ partId: 'HP1-BLA-S', available: 19, status: 'in_stock', leadTimeDays: 4, asOf: null, incoming: [] }]);
  });

  it('grades stock: zero is out of stock (backordered when made to order), under ten is low', () => {
    const one = (value: string, buyToOrder = 'false') =>
      mapInventory({
        Inventory: { PartInventoryArray: { PartInventory: { partId: 'P', buyToOrder, manufacturedItem: 'false', quantityAvailable: { Quantity: { uom: 'EA', value } } } } },
      })[0]!.status;
    expect(one('0')).toBe('out_of_stock');
    expect(one('0', 'true')).toBe('backordered');
    expect(one('9')).toBe('low_stock');
    expect(one('10')).toBe('in_stock');
  });

  it('refuses quantities that are not whole units in a known unit of measure', () => {
    const bad = (uom: string, value: string) => () =>
      mapInventory({ Inventory: { PartInventoryArray: { PartInventory: { partId: 'P', quantityAvailable: { Quantity: { uom, value } } } } } });
    expect(bad('EA', '2.5')).toThrow(/whole/);
    expect(bad('KT', '2')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('KT'), details: expect.objectContaining({ uom: 'KT' }) }));
    expect(bad('EA', '-1')).toThrow(/whole, non-negative/);
  });

  it('falls back to the read time when the supplier gives no timestamp', () => {
    const stock = toSupplierStock({ partId: 'P', available: 3, status: 'low_stock', leadTimeDays: null, asOf: null, incoming: [] }, null, '2026-01-01T00:00:00.000Z');
    expect(stock.asOf).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('product data', () => {
  it('maps a product part with its GTIN-14, brand, manufacturer and MPN', () => {
    const [item] = mapProduct(parsed('get-product.xml'));
    const xml = fixture('get-product.xml');
    expect(item!.supplierSku).toBe(/<s:partId>([^<]+)/.exec(xml)![1]);
    expect(item!.gtin).toMatch(/^\d{14}$/);
    expect(item!.brand).toBe(/<s:productBrand>([^<]+)/.exec(xml)![1]);
    expect(item!.manufacturer).toBeTruthy();
    expect(item!.mpn).toMatch(/^[A-Z]+\d{4}-[A-Z]{3}-/);
    expect(item!.title.length).toBeGreaterThan(0);
  });

  it('takes the unit cost from the lowest quantity break, as a decimal string', () => {
    const xml = fixture('get-product.xml');
    expect(unitCostOf(parsed('get-product.xml'))).toEqual({ amount: /<s:price>([^<]+)/.exec(xml)![1], currency: 'USD' });
  });

  it('lists sellable parts', () => {
    const rows = mapSellable(parsed('get-product-sellable.xml'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.productId).toMatch(/^HP-\d{4}$/);
  });

  it.each([
    ['071221104297', '00071221104297'], // UPC-A
    ['00071221104297', '00071221104297'], // GTIN-14
    ['4006381333931', '04006381333931'], // EAN-13
    ['96385074', '00000096385074'], // EAN-8
    ['0712-2110-4297', '00071221104297'],
    ['071221104298', null], // wrong check digit
    ['12345', null],
    ['', null],
    [undefined, null],
  ])('normalises GTIN %s to %s', (raw, expected) => {
    expect(normalizeGtin(raw)).toBe(expected);
  });
});

describe('order status', () => {
  it.each([
    ['received', null, 'submitted'],
    ['confirmed', null, 'accepted'],
    ['preproduction', null, 'accepted'],
    ['inProduction', null, 'accepted'],
    ['inStorage', null, 'accepted'],
    ['confirmed', 'backOrderHold', 'backordered'],
    ['received', 'creditHold', 'on_hold'],
    ['inProduction', 'artHold', 'on_hold'],
    ['confirmed', 'proofHold', 'on_hold'],
    ['partiallyShipped', null, 'partially_shipped'],
    ['shipped', null, 'shipped'],
    ['complete', null, 'delivered'],
    ['canceled', null, 'cancelled'],
  ] as const)('%s with hold %s is %s', (status, hold, expected) => {
    expect(canonicalStatus(status, hold)).toBe(expected);
  });

  it('refuses a status outside the Order Status 2.0.0 vocabulary', () => {
    expect(() => canonicalStatus('Shipped', null)).toThrow(expect.objectContaining({ message: expect.not.stringContaining('Shipped'), details: expect.objectContaining({ status: 'Shipped' }) }));
  });

  it('combines several sales orders under one PO', () => {
    expect(combineStatuses(['shipped', 'accepted'])).toBe('partially_shipped');
    expect(combineStatuses(['shipped', 'delivered'])).toBe('shipped');
    expect(combineStatuses(['cancelled', 'delivered'])).toBe('delivered');
    expect(combineStatuses(['cancelled', 'cancelled'])).toBe('cancelled');
    expect(combineStatuses(['accepted', 'on_hold'])).toBe('on_hold');
  });

  it('maps recorded statuses through the lifecycle, with line quantities', () => {
    const read = (name: keyof typeof RECORDED) => mapOrderStatus(parsed(name), /PO-FIXTURE-\d/.exec(fixture(name))![0])!;
    expect(read('get-order-status-received.xml')).toMatchObject({ status: 'submitted', rawStatus: 'received', anyShipped: false });
    const held = read('get-order-status-backorder-hold.xml');
    expect(held).toMatchObject({ status: 'backordered', rawStatus: 'confirmed/backOrderHold' });
    expect(held.lines[0]).toMatchObject({ ordered: 4, shipped: 0, backordered: 4, cancelled: 0 });
    const partial = read('get-order-status-partially-shipped.xml');
    expect(partial).toMatchObject({ status: 'partially_shipped', anyShipped: true });
    expect(partial.lines[0]).toMatchObject({ ordered: 4, shipped: 2 });
    expect(read('get-order-status-shipped.xml')).toMatchObject({ status: 'shipped' });
    const canceled = read('get-order-status-canceled.xml');
    expect(canceled.status).toBe('cancelled');
    expect(canceled.lines[0]).toMatchObject({ ordered: 2, cancelled: 2 });
    expect(canceled.salesOrderNumbers[0]).toMatch(/^SO-/);
  });

  it('finds no order in a not-found answer, whose message maps to SUPPLIER_NOT_FOUND', () => {
    const response = parsed('get-order-status-not-found.xml');
    expect(mapOrderStatus(response, 'PO-NOT-THERE')).toBeNull();
    expect(errorFromMessages(serviceMessagesOf(response), { supplier: 'harborpromo', operation: 'getOrderStatus' })?.code).toBe('SUPPLIER_NOT_FOUND');
  });
});

describe('shipments and service messages', () => {
  it('maps each package to a shipment with carrier and tracking number', () => {
    const shipments = mapShipments(parsed('get-order-shipment-notification.xml'));
    expect(shipments).toHaveLength(2);
    for (const s of shipments) {
      expect(s.carrier).toBe('UPS');
      expect(s.trackingNumber).toMatch(/^1Z/);
      expect(Number.isNaN(Date.parse(s.shippedAt!))).toBe(false);
    }
    expect(shipments.flatMap((s) => s.lines).reduce((n, l) => n + l.quantity, 0)).toBe(4);
    expect(mapShipments(parsed('get-order-shipment-notification-none.xml'))).toEqual([]);
  });

  it('maps refused credentials to MISCONFIGURED and unknown products to SUPPLIER_NOT_FOUND', () => {
    const ctx = { supplier: 'harborpromo', operation: 'getInventoryLevels' };
    expect(errorFromMessages(serviceMessagesOf(parsed('get-inventory-levels-auth-failed.xml')), ctx)).toMatchObject({ code: 'MISCONFIGURED', errorClass: 'critical' });
    expect(errorFromMessages(serviceMessagesOf(parsed('get-inventory-levels-unknown-product.xml')), ctx)?.code).toBe('SUPPLIER_NOT_FOUND');
    expect(errorFromMessages(serviceMessagesOf(parsed('get-inventory-levels.xml')), ctx)).toBeNull();
  });

  it('reads the duplicate-PO notice and the cancel refusal', () => {
    expect(serviceMessagesOf(parsed('send-po-duplicate.xml'))).toEqual([expect.objectContaining({ code: 210, severity: 'Information' })]);
    expect(parsed('send-po-duplicate.xml')['transactionId']).toBe(parsed('send-po.xml')['transactionId']);
    const refusal = errorFromMessages(serviceMessagesOf(parsed('cancel-order-too-late.xml')), {
      supplier: 'harborpromo',
      operation: 'cancelOrder',
      overrides: { 310: 'ORDER_NOT_CANCELLABLE' },
    });
    expect(refusal).toMatchObject({ code: 'ORDER_NOT_CANCELLABLE', errorClass: 'logical' });
    expect(parsed('cancel-order.xml')['status']).toBe('canceled');
  });
});

describe('money', () => {
  it('multiplies and sums decimal strings without floats', () => {
    expect(multiplyAmount('0.10', 3)).toBe('0.30');
    expect(multiplyAmount('19.999', 3)).toBe('59.997');
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['1', '2.5'])).toBe('3.50');
  });
});

// Issue 14: nothing bounded what a PromoStandards supplier says: negative or 40-decimal prices were served, lead
// times and quantities had no ceiling, dates no window. Out of range is a CONTRACT_VIOLATION naming the field, never
// the value, and fails the answer it came in, as a malformed value always has here.
describe('ranges', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isRegistryError(error)) return { code: error.code, message: error.message, details: error.details };
      throw error;
    }
    throw new Error('expected a refusal');
  };
  const inventory = (part: Record<string, unknown>) => ({
    Inventory: { PartInventoryArray: { PartInventory: { partId: 'P', quantityAvailable: { Quantity: { uom: 'EA', value: '5' } }, ...part } } },
  });
  const priced = (price: unknown) => ({
    Product: { ProductPriceGroupArray: { ProductPriceGroup: { groupName: 'Net', currency: 'USD', ProductPriceArray: { ProductPrice: { quantityMin: '1', price } } } } },
  });

  it.each([
    ['a 100,000-digit price', '9'.repeat(100_000), 'price-too-long'],
    ['40 decimals', `1.${'5'.repeat(40)}`, 'price-too-long'],
    ['7 significant decimals', '1.1234567', 'price-too-precise'],
    ['a negative price', '-3.00', 'price-negative'],
    ['not a decimal', '1e3', 'price-not-decimal'],
  ])('refuses %s', (_what, price, reason) => {
    const error = refusal(() => unitCostOf(priced(price)));
    expect(error).toMatchObject({ code: 'CONTRACT_VIOLATION', details: { reason, field: 'ProductPrice[0].price' } });
    expect(error.message).not.toContain(price.slice(0, 6));
  });

  it('serves a price like every supplier\'s amount: at least two decimals, no zeros past them', () => {
    expect(unitCostOf(priced('12.5'))!.amount).toBe('12.50');
    expect(unitCostOf(priced('3.10'))!.amount).toBe('3.10');
    expect(unitCostOf(priced('007'))!.amount).toBe('7.00');
    expect(unitCostOf(priced('1.0000000000'))!.amount).toBe('1.00');
    expect(unitCostOf(priced('0.1234560'))!.amount).toBe('0.123456');
    expect(unitCostOf(priced(4.5))!.amount).toBe('4.50');
  });

  it('refuses lead times outside 0–365 days, in our words', () => {
    for (const days of ['1' + '0'.repeat(300), '366', '-1']) {
      const error = refusal(() => mapInventory(inventory({ replenishmentLeadTime: days })));
      expect(error.details).toEqual({ reason: 'lead-time-out-of-range', field: 'PartInventory[0].replenishmentLeadTime' });
      expect(error.message).not.toContain(days);
    }
    expect(mapInventory(inventory({ replenishmentLeadTime: '365' }))[0]!.leadTimeDays).toBe(365);
  });

  it('refuses quantities past the maximum, in eaches and summed over locations', () => {
    const dozens = { quantityAvailable: { Quantity: { uom: 'DZ', value: '100000000' } } };
    expect(refusal(() => mapInventory(inventory(dozens))).details).toMatchObject({ reason: 'quantity-out-of-range', field: 'quantityAvailable.value' });
    const location = { inventoryLocationQuantity: { Quantity: { uom: 'EA', value: '600000000' } } };
    expect(refusal(() => mapInventory(inventory({ InventoryLocationArray: { InventoryLocation: [location, location] } }))).details).toMatchObject({
      reason: 'quantity-out-of-range',
      field: 'PartInventory[0].InventoryLocationArray',
    });
    expect(refusal(() => mapInventory(inventory({ quantityAvailable: { Quantity: { uom: 'EA', value: '9'.repeat(100_000) } } }))).details).toMatchObject({ reason: 'quantity-out-of-range' });
  });

  it('refuses dates outside 2000–2100 and over-long part ids', () => {
    expect(refusal(() => mapInventory(inventory({ lastModified: '9999-01-01T00:00:00Z' }))).details).toEqual({ reason: 'date-out-of-range', field: 'PartInventory[0].lastModified' });
    expect(refusal(() => mapInventory(inventory({ lastModified: new Date(Date.UTC(1970, 0, 1)) }))).details).toMatchObject({ reason: 'date-out-of-range' });
    expect(refusal(() => mapInventory(inventory({ partId: 'P'.repeat(129) }))).details).toEqual({ reason: 'identifier-too-long', field: 'PartInventory[0].partId' });
  });

  it('refuses a list or a deep element where a value belongs, without serialising it', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50_000; i++) deep = (deep['a'] = {}) as Record<string, unknown>;
    expect(refusal(() => mapInventory(inventory({ partId: root }))).code).toBe('CONTRACT_VIOLATION');
    expect(refusal(() => mapInventory(inventory({ replenishmentLeadTime: [root, root] }))).code).toBe('CONTRACT_VIOLATION');
  });
});
