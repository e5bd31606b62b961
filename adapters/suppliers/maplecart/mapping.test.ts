import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import {
  catalogDataSchema,
  orderByIdDataSchema,
  orderBySourceDataSchema,
  orderCreateDataSchema,
  stockDataSchema,
  type MaplecartOrder,
} from './documents.ts';
import {
  archivedSkuSearchQuery,
  availableOf,
  canonicalStatus,
  gtinFromBarcode,
  mapCatalogItem,
  mapOrderStatus,
  mapStock,
  moneyFromShopify,
  orderCreateInput,
  rawStatusOf,
  skuSearchQuery,
  sourceIdentifierQuery,
  stockStatusOf,
} from './mapping.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/maplecart/${name}`, import.meta.url), 'utf8'));
const data = (name: string): unknown => (fixture(name) as { data: unknown }).data;
const orderFixture = (name: string): MaplecartOrder => orderByIdDataSchema.parse(data(name)).order!;

describe('maplecart mapping: identifiers and money', () => {
  it('turns an EAN-13 barcode into a GTIN-14 and refuses anything that is not a valid GTIN', () => {
    expect(gtinFromBarcode('0070000100000')).toBe('00070000100000');
    expect(gtinFromBarcode('070000100000')).toBe('00070000100000'); // UPC-A
    expect(gtinFromBarcode('0 070000 10000 0')).toBe('00070000100000'); // typed with spaces
    expect(gtinFromBarcode('0070000100001')).toBeNull(); // bad check digit
    expect(gtinFromBarcode('978-0-306-40615')).toBeNull(); // wrong length
    expect(gtinFromBarcode('mc-sku-1')).toBeNull();
    expect(gtinFromBarcode('')).toBeNull();
    expect(gtinFromBarcode(null)).toBeNull();
  });

  it('keeps money as decimal strings with at least two places, without floats', () => {
    expect(moneyFromShopify('12.5', 'CAD')).toEqual({ amount: '12.50', currency: 'CAD' });
    expect(moneyFromShopify('12.0', 'CAD')).toEqual({ amount: '12.00', currency: 'CAD' });
    expect(moneyFromShopify('3', 'USD')).toEqual({ amount: '3.00', currency: 'USD' });
    expect(moneyFromShopify('0.125', 'CAD')).toEqual({ amount: '0.125', currency: 'CAD' });
    expect(moneyFromShopify('007.10', 'CAD')).toEqual({ amount: '7.10', currency: 'CAD' });
    expect(moneyFromShopify('19999999999999999.99', 'CAD')?.amount).toBe('19999999999999999.99');
    expect(moneyFromShopify('-1.00', 'CAD')).toBeNull();
    expect(moneyFromShopify('1e3', 'CAD')).toBeNull();
    expect(moneyFromShopify('1.00', 'cad')).toBeNull();
  });

  it('quotes every search value so odd SKUs stay one term', () => {
    expect(skuSearchQuery(['mc-a-1', 'mc-b-2'])).toBe('sku:"mc-a-1" OR sku:"mc-b-2"');
    expect(skuSearchQuery(['a "b" c\\d'])).toBe('sku:"a \\"b\\" c\\\\d"');
    expect(sourceIdentifierQuery('PO-1')).toBe('source_identifier:"PO-1"');
  });
});

describe('maplecart mapping: stock (recorded stock.response.json)', () => {
  const recorded = stockDataSchema.parse(data('stock.response.json'));
  const variants = recorded.productVariants.nodes;
  const bySku = new Map(variants.map((v) => [v.sku, v]));
  const readAt = '2030-01-01T00:00:00.000Z';
  const read = { readAt, archivedSkus: new Set(recorded.archived.nodes.map((n) => n.sku!)) };

  it('reads the variant total (no per-location levels) and reports the variant updatedAt as asOf', () => {
    const variant = bySku.get('mc-gildan-t-shirt-sand-s-0')!;
    const stock = mapStock(variant, read)!;
    expect(stock).toMatchObject({ supplierSku: 'mc-gildan-t-shirt-sand-s-0', available: 186, status: 'in_stock', cost: { amount: '49.97', currency: 'CAD' }, leadTimeDays: null });
    expect(stock.asOf).toBe(new Date(variant.updatedAt).toISOString());
    expect(stock.asOf).not.toBe(readAt);
  });

  it('never reports negative stock; an oversold CONTINUE item is backordered', () => {
    const stock = mapStock(bySku.get('mc-hydro-flask-t-shirt-red-m-5')!, read)!;
    expect(bySku.get('mc-hydro-flask-t-shirt-red-m-5')!.inventoryQuantity).toBe(-3);
    expect(stock.available).toBe(0);
    expect(stock.status).toBe('backordered');
  });

  it('maps zero stock of a DENY item to out_of_stock and a SKU of the archived probe to discontinued, stock or not', () => {
    expect(mapStock(bySku.get('mc-port-authority-tote-bag-sand-28')!, read)!.status).toBe('out_of_stock');
    expect(recorded.archived.nodes.map((n) => n.sku)).toEqual(['mc-gildan-notebook-royal-blue-40']);
    const archived = mapStock(bySku.get('mc-gildan-notebook-royal-blue-40')!, read)!;
    expect(archived.available).toBeGreaterThan(0);
    expect(archived.status).toBe('discontinued');
    // The same variant, not named by the probe, is ordinary stock.
    expect(mapStock(bySku.get('mc-gildan-notebook-royal-blue-40')!, { readAt, archivedSkus: new Set() })!.status).toBe('in_stock');
  });

  it('reads a withheld total as none available, never as stock', () => {
    const v = bySku.get('mc-gildan-t-shirt-sand-s-0')!;
    expect(availableOf({ inventoryQuantity: null })).toBe(0);
    expect(mapStock({ ...v, inventoryQuantity: null }, read)!.status).toBe('out_of_stock');
  });

  it('falls back to the read time when the variant timestamp is unreadable', () => {
    const v = bySku.get('mc-gildan-t-shirt-sand-s-0')!;
    expect(mapStock({ ...v, updatedAt: 'not a time' }, read)!.asOf).toBe(readAt);
  });

  it('grades low stock below ten units', () => {
    const v = bySku.get('mc-gildan-t-shirt-sand-s-0')!;
    expect(stockStatusOf(9, v, false)).toBe('low_stock');
    expect(stockStatusOf(10, v, false)).toBe('in_stock');
  });

  it('leaves out variants without a SKU and keeps a missing unit cost as null', () => {
    const v = bySku.get('mc-gildan-t-shirt-sand-s-0')!;
    expect(mapStock({ ...v, sku: null }, read)).toBeNull();
    expect(mapStock({ ...v, inventoryItem: { unitCost: null } }, read)!.cost).toBeNull();
  });

  it('asks for the archived SKUs of a batch with one product_status filter over the same quoted SKUs', () => {
    expect(archivedSkuSearchQuery(['mc-a-1', 'mc-b-2'])).toBe('product_status:archived AND (sku:"mc-a-1" OR sku:"mc-b-2")');
  });
});

describe('maplecart mapping: catalog (recorded catalog-page.response.json)', () => {
  const page = catalogDataSchema.parse(data('catalog-page.response.json')).productVariants;

  it('maps variants to catalog items with GTIN-14, brand, manufacturer and MPN', () => {
    expect(mapCatalogItem(page.nodes[0]!)).toEqual({
      supplierSku: 'mc-gildan-t-shirt-sand-s-0',
      title: 'Gildan T-Shirt — Sand - S',
      brand: 'Gildan',
      gtin: '00070000100000',
      manufacturer: 'Gildan Activewear',
      mpn: 'G1000-SAN-S',
      description: 'Gildan t-shirt in sand, size S.',
      family: {
        id: 'gid://shopify/Product/7100000007',
        name: 'Gildan T-Shirt — Sand',
        brand: 'Gildan',
        categories: ['T-Shirt'],
        images: [{ url: 'https://cdn.maplecart.example/products/7100000007.jpg', alt: 'Gildan T-Shirt — Sand' }],
      },
      options: [{ name: 'Color', value: 'Sand' }, { name: 'Size', value: 'S' }],
      // The variant's own image (ProductVariant.image); the product's featured image is the family's.
      images: [{ url: 'https://cdn.maplecart.example/variants/44100000000.jpg', alt: 'Gildan T-Shirt — Sand - S' }],
      categories: ['T-Shirt'],
    });
    expect(page.nodes[1]!.image).toBeNull();
    expect(mapCatalogItem(page.nodes[1]!)!.images).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.pageInfo.endCursor).toBeTruthy();
  });

  it('maps the Shopify product to the family: no images, no type, only a Default Title option, a non-http image', () => {
    const v = page.nodes[1]!;
    const item = mapCatalogItem({
      ...v,
      selectedOptions: [{ name: 'Title', value: 'Default Title' }],
      image: { url: 'data:image/png;base64,AAAA', altText: ' ' },
      product: { ...v.product, productType: ' ', featuredImage: { url: 'javascript:alert(1)', altText: null } },
    })!;
    expect(item.options).toEqual([]);
    expect(item.images).toEqual([]);
    expect(item.categories).toEqual([]);
    expect(item.family).toEqual({ id: v.product.id, name: v.product.title, brand: v.product.vendor, categories: [], images: [] });
  });

  it('tolerates missing metafields and empty descriptions', () => {
    const v = page.nodes[1]!;
    const item = mapCatalogItem({ ...v, mpn: null, product: { ...v.product, description: '  ', manufacturer: null } })!;
    expect(item).toMatchObject({ mpn: null, manufacturer: null, description: null });
    expect(mapCatalogItem({ ...v, sku: null })).toBeNull();
  });
});

describe('maplecart mapping: orders (recorded order payloads)', () => {
  it('reads a fresh order as accepted', () => {
    const created = orderCreateDataSchema.parse(data('order-create.response.json')).orderCreate.order!;
    expect(canonicalStatus(created)).toBe('accepted');
    expect(rawStatusOf(created)).toBe('UNFULFILLED');
  });

  it('reads an inventory hold as backordered, with the unshipped units backordered', () => {
    const status = mapOrderStatus(orderFixture('order-on-hold-backorder.response.json'));
    expect(status.status).toBe('backordered');
    expect(status.rawStatus).toBe('ON_HOLD');
    expect(status.lines).toEqual([
      { supplierSku: 'mc-hanes-t-shirt-white-m-1', ordered: 4, shipped: 0, backordered: 4, cancelled: 0 },
      { supplierSku: 'mc-bella-canvas-t-shirt-royal-blue-l-2', ordered: 1, shipped: 0, backordered: 1, cancelled: 0 },
    ]);
  });

  it('reads any other hold as on_hold', () => {
    const held = orderFixture('order-on-hold-backorder.response.json');
    const other = { ...held, fulfillmentOrders: { nodes: [{ status: 'ON_HOLD', fulfillmentHolds: [{ reason: 'INCORRECT_ADDRESS' }] }] } };
    expect(canonicalStatus(other)).toBe('on_hold');
  });

  it('reads a partial fulfillment with its shipment and tracking', () => {
    const status = mapOrderStatus(orderFixture('order-partially-fulfilled.response.json'));
    expect(status.status).toBe('partially_shipped');
    expect(status.lines[0]).toEqual({ supplierSku: 'mc-hanes-t-shirt-white-m-1', ordered: 4, shipped: 2, backordered: 0, cancelled: 0 });
    expect(status.shipments).toEqual([
      { carrier: 'UPS', trackingNumber: '1ZMC70040000000001', shippedAt: expect.any(String), lines: [{ supplierSku: 'mc-hanes-t-shirt-white-m-1', quantity: 2 }] },
    ]);
  });

  it('reads FULFILLED as shipped, and as delivered once every fulfillment is delivered', () => {
    const delivered = orderFixture('order-delivered.response.json');
    expect(mapOrderStatus(delivered).status).toBe('delivered');
    expect(mapOrderStatus(delivered).shipments.map((s) => s.carrier)).toEqual(['UPS', 'Canada Post']);
    const inTransit = { ...delivered, fulfillments: delivered.fulfillments.map((f, i) => (i === 1 ? { ...f, displayStatus: 'IN_TRANSIT' } : f)) };
    expect(canonicalStatus(inTransit)).toBe('shipped');
    const cancelledFulfillment = { ...delivered, fulfillments: delivered.fulfillments.map((f, i) => (i === 1 ? { ...f, status: 'CANCELLED' } : f)) };
    expect(mapOrderStatus(cancelledFulfillment).shipments).toHaveLength(1);
  });

  it('reads a cancelled order as cancelled whatever its fulfillment word, with cancelled units', () => {
    const order = orderBySourceDataSchema.parse(data('order-by-source-cancelled.response.json')).orders.nodes[0]!;
    const status = mapOrderStatus(order);
    expect(status.status).toBe('cancelled');
    expect(status.rawStatus).toBe('CANCELLED/RESTOCKED');
    expect(status.lines).toEqual([{ supplierSku: 'mc-port-authority-t-shirt-royal-blue-s-4', ordered: 2, shipped: 0, backordered: 0, cancelled: 2 }]);
  });

  it('maps the rest of Shopify display statuses', () => {
    const base = orderFixture('order-on-hold-backorder.response.json');
    const as = (displayFulfillmentStatus: MaplecartOrder['displayFulfillmentStatus']) => canonicalStatus({ ...base, displayFulfillmentStatus, fulfillmentOrders: { nodes: [] } });
    expect(as('PENDING_FULFILLMENT')).toBe('submitted');
    expect(as('IN_PROGRESS')).toBe('accepted');
    expect(as('OPEN')).toBe('accepted');
    expect(as('SCHEDULED')).toBe('accepted');
    expect(as('REQUEST_DECLINED')).toBe('rejected');
    expect(as('RESTOCKED')).toBe('cancelled');
  });

  it('refuses a status word outside the pinned API version', () => {
    const raw = structuredClone(data('order-delivered.response.json')) as { order: { displayFulfillmentStatus: string } };
    raw.order.displayFulfillmentStatus = 'TELEPORTED';
    expect(orderByIdDataSchema.safeParse(raw).success).toBe(false);
  });
});

describe('maplecart mapping: order input', () => {
  it('builds OrderCreateOrderInput with our key as sourceIdentifier and a split name', () => {
    const input = orderCreateInput({
      idempotencyKey: 'PO-9',
      lines: [{ lineNumber: 1, supplierSku: 'mc-a-1', quantity: 2 }],
      shipTo: { name: 'Ada King Lovelace', line1: '1 Row', city: 'Toronto', region: 'ON', postalCode: 'M5V 2T6', country: 'ca', email: 'ada@example.com' },
    });
    expect(input).toEqual({
      sourceIdentifier: 'PO-9',
      email: 'ada@example.com',
      lineItems: [{ sku: 'mc-a-1', quantity: 2 }],
      shippingAddress: {
        firstName: 'Ada King',
        lastName: 'Lovelace',
        company: null,
        address1: '1 Row',
        address2: null,
        city: 'Toronto',
        provinceCode: 'ON',
        countryCode: 'CA',
        zip: 'M5V 2T6',
        phone: null,
      },
    });
    const single = orderCreateInput({ idempotencyKey: 'K', lines: [], shipTo: { name: 'Cher', line1: 'x', city: 'y', postalCode: 'z', country: 'US' } });
    expect(single['shippingAddress']).toMatchObject({ firstName: null, lastName: 'Cher' });
  });
});

// Issue 14: a 100,000-digit unit cost froze the process (a backtracking trim); nothing bounded quantities, dates or
// identifiers. Out of range is a CONTRACT_VIOLATION naming the field (never the value) and fails the whole answer,
// as a malformed node does at the documents' zod shapes; an unreadable cost stays null and an unreadable
// updatedAt the read time, as before.
describe('maplecart mapping: ranges', () => {
  const recorded = stockDataSchema.parse(data('stock.response.json'));
  const v = recorded.productVariants.nodes.find((n) => n.sku === 'mc-gildan-t-shirt-sand-s-0')!;
  const read = { readAt: '2030-01-01T00:00:00.000Z', archivedSkus: new Set<string>() };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isRegistryError(error)) return { code: error.code, message: error.message, details: error.details };
      throw error;
    }
    throw new Error('expected a refusal');
  };
  const withCost = (amount: string) => ({ ...v, inventoryItem: { unitCost: { amount, currencyCode: 'CAD' } } });
  const field = 'productVariants.nodes[0].inventoryItem.unitCost.amount';

  it.each([
    ['a 100,000-digit price', '9'.repeat(100_000), 'price-too-long'],
    ['zeros then a digit, 100,000 long', `0.${'0'.repeat(100_000)}1`, 'price-too-long'],
    ['40 decimals', `1.${'7'.repeat(40)}`, 'price-too-long'],
    ['7 significant decimals', '1.1234567', 'price-too-precise'],
  ])('refuses %s as CONTRACT_VIOLATION naming the field', (_what, amount, reason) => {
    const error = refusal(() => mapStock(withCost(amount), read));
    expect(error).toMatchObject({ code: 'CONTRACT_VIOLATION', details: { reason, field } });
    expect(error.message).not.toContain(amount.slice(0, 8));
  });

  it('keeps 6 significant decimals, and an unreadable price stays null as before', () => {
    expect(mapStock(withCost('0.1234560'), read)!.cost).toEqual({ amount: '0.123456', currency: 'CAD' });
    expect(mapStock(withCost('12,50'), read)!.cost).toBeNull();
  });

  it('refuses stock beyond ± the quantity range, and over-long SKUs', () => {
    expect(refusal(() => mapStock({ ...v, inventoryQuantity: 5e12 }, read)).details).toEqual({ reason: 'quantity-out-of-range', field: 'productVariants.nodes[0].inventoryQuantity' });
    expect(refusal(() => mapStock({ ...v, inventoryQuantity: -5e12 }, read)).details).toMatchObject({ reason: 'quantity-out-of-range' });
    expect(refusal(() => mapStock({ ...v, sku: 'S'.repeat(129) }, read)).details).toEqual({ reason: 'identifier-too-long', field: 'productVariants.nodes[0].sku' });
  });

  it('serves the read time for an updatedAt outside 2000–2100 (its rule for an unreadable one)', () => {
    expect(mapStock({ ...v, updatedAt: '9999-12-31T23:59:59Z' }, read)!.asOf).toBe(read.readAt);
    expect(mapStock({ ...v, updatedAt: `2026-01-01T00:00:00Z${' '.repeat(100_000)}` }, read)!.asOf).toBe(read.readAt);
  });

  it('bounds catalog identifiers used for matching', () => {
    const catalog = catalogDataSchema.parse(data('catalog-page.response.json')).productVariants.nodes[0]!;
    expect(refusal(() => mapCatalogItem({ ...catalog, mpn: { value: 'M'.repeat(500) } }, 3)).details).toEqual({ reason: 'identifier-too-long', field: 'productVariants.nodes[3].mpn.value' });
  });

  it('bounds order figures: quantities, dates and ids', () => {
    const order = orderFixture('order-partially-fulfilled.response.json');
    const line = order.lineItems.nodes[0]!;
    expect(refusal(() => mapOrderStatus({ ...order, lineItems: { nodes: [{ ...line, quantity: -1 }] } })).details).toEqual({ reason: 'quantity-out-of-range', field: 'lineItems.nodes[0].quantity' });
    expect(refusal(() => mapOrderStatus({ ...order, updatedAt: 'soon' })).details).toEqual({ reason: 'date-unreadable', field: 'order.updatedAt' });
    expect(refusal(() => mapOrderStatus({ ...order, id: 'g'.repeat(1000) })).details).toEqual({ reason: 'identifier-too-long', field: 'order.id' });
    expect(mapOrderStatus(order).updatedAt).toBe(new Date(order.updatedAt).toISOString());
  });
});
