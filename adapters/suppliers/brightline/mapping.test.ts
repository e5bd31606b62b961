import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRegistryError } from '../../../kernel/errors.ts';
import type { SupplierOrder } from '../../../kernel/model.ts';
import { ORDER_STATUS, normaliseDecimal, toCatalogPage, toOrderAck, toOrderRequest, toOrderStatus, toSupplierStock, toSupplierStocks, upcToGtin14 } from './mapping.ts';
import { AvailabilityResponse, CatalogResponse, ORDER_STATUSES, Order, readBrightlineError } from './wire.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/brightline/${name}`, import.meta.url), 'utf8'));

interface RawResult {
  partNumber: string;
  status: string;
  warehouses: { quantityAvailable: number }[];
  pricing: { breaks: { unitPrice: string }[] };
  lastUpdated: string;
}

function expectContractViolation(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isRegistryError(thrown) && thrown.code).toBe('CONTRACT_VIOLATION');
}

describe('brightline mapping: availability', () => {
  const raw = fixture('availability.json') as { results: RawResult[]; notFound: string[] };
  const response = AvailabilityResponse.parse(raw);
  const asked = new Set([...raw.results.map((r) => r.partNumber), ...raw.notFound]);
  const stock = toSupplierStocks(response, asked);
  const bySku = new Map(stock.map((s) => [s.supplierSku, s]));

  it('returns one entry per known part and leaves out the parts Brightline does not carry', () => {
    expect(stock.map((s) => s.supplierSku)).toEqual(raw.results.map((r) => r.partNumber));
    expect(raw.notFound).toEqual(['BL-999999']);
    expect(bySku.has('BL-999999')).toBe(false);
  });

  it('sums quantities over warehouses', () => {
    for (const r of raw.results) {
      expect(bySku.get(r.partNumber)!.available).toBe(r.warehouses.reduce((n, w) => n + w.quantityAvailable, 0));
    }
    expect(bySku.get('BL-310007')!.available).toBe(7);
    expect(bySku.get('BL-310014')!.available).toBe(0);
  });

  it('maps the stock vocabulary', () => {
    expect(Object.fromEntries(raw.results.map((r) => [r.status, bySku.get(r.partNumber)!.status]))).toEqual({
      IN_STOCK: 'in_stock',
      LIMITED_STOCK: 'low_stock',
      BACKORDER: 'backordered',
      END_OF_LIFE: 'discontinued',
    });
  });

  it('takes the single-unit price break as cost, as a decimal string', () => {
    expect(bySku.get('BL-310000')!.cost).toEqual({ amount: '39.088', currency: 'USD' });
    expect(bySku.get('BL-310007')!.cost).toEqual({ amount: '44.9008', currency: 'USD' });
  });

  it('turns factory lead weeks into days, null for end-of-life items, and keeps the supplier timestamp', () => {
    expect(bySku.get('BL-310000')!.leadTimeDays).toBe(7);
    const endOfLife = raw.results.find((r) => r.status === 'END_OF_LIFE')!;
    expect(bySku.get(endOfLife.partNumber)!.leadTimeDays).toBeNull();
    expect(bySku.get('BL-310007')!.asOf).toBe(raw.results[1]!.lastUpdated);
  });

  it('ignores results for parts we did not ask for', () => {
    expect(toSupplierStocks(response, new Set(['BL-310000'])).map((s) => s.supplierSku)).toEqual(['BL-310000']);
  });

  it('counts an oversold (negative) warehouse as zero and falls back to the answer timestamp', () => {
    const result = AvailabilityResponse.parse({
      timestamp: '2026-01-02T03:04:05Z',
      results: [{ partNumber: 'BL-1', status: 'LIMITED_STOCK', warehouses: [{ warehouseCode: 'DAL', quantityAvailable: -3 }, { warehouseCode: 'RNO', quantityAvailable: 2 }], pricing: null }],
    }).results[0]!;
    expect(toSupplierStock(result, '2026-01-02T03:04:05Z')).toEqual({
      supplierSku: 'BL-1',
      available: 2,
      status: 'low_stock',
      cost: null,
      leadTimeDays: null,
      asOf: '2026-01-02T03:04:05.000Z',
    });
  });

  it('refuses a stock word it has not mapped (via the wire schema)', () => {
    const changed = structuredClone(raw);
    changed.results[0]!.status = 'ALLOCATED';
    expect(AvailabilityResponse.safeParse(changed).success).toBe(false);
  });
});

describe('brightline mapping: prices', () => {
  it.each([
    ['12.3400', '12.34'],
    ['7', '7.00'],
    ['0.12345', '0.12345'],
    ['007.5', '7.50'],
    ['0', '0.00'],
    [' 3.10 ', '3.10'],
    [12.5, '12.50'],
    [0.1, '0.10'],
    [19.99, '19.99'],
  ])('normalises %j to %j without float arithmetic', (input, expected) => {
    expect(normaliseDecimal(input)).toBe(expected);
  });

  it.each(['-1.00', '1e3', '12,50', '$3.00', '', '.5', '5.', -0.5, Number.NaN, 1e21, Number.POSITIVE_INFINITY])('refuses %j as a contract violation', (input) => {
    expectContractViolation(() => normaliseDecimal(input));
  });
});

describe('brightline mapping: catalog and GTINs', () => {
  const raw = fixture('catalog-page.json') as { items: { itemNumber: string; upc: string | null; manufacturerPartNumber: string }[]; nextPageToken: string };
  const page = toCatalogPage(CatalogResponse.parse(raw));

  it('maps a page with its cursor and the identifiers to match on', () => {
    expect(page.nextCursor).toBe(raw.nextPageToken);
    expect(page.items.map((i) => i.supplierSku)).toEqual(raw.items.map((i) => i.itemNumber));
    for (const item of page.items) {
      expect(item.title.length).toBeGreaterThan(0);
      expect(item.mpn).toMatch(/\S/);
      if (item.gtin !== null) expect(item.gtin).toMatch(/^\d{14}$/);
    }
  });

  it('restores UPCs that lost their leading zero, and leaves missing UPCs null', () => {
    const shortUpc = raw.items.find((i) => i.upc?.length === 11)!;
    const fullUpc = raw.items.find((i) => i.upc?.length === 12)!;
    const noUpc = raw.items.find((i) => i.upc === null)!;
    const gtinOf = (sku: string) => page.items.find((i) => i.supplierSku === sku)!.gtin;
    expect(gtinOf(shortUpc.itemNumber)).toBe(`000${shortUpc.upc}`);
    expect(gtinOf(fullUpc.itemNumber)).toBe(`00${fullUpc.upc}`);
    expect(gtinOf(noUpc.itemNumber)).toBeNull();
  });

  it('ends on the last page', () => {
    expect(toCatalogPage(CatalogResponse.parse(fixture('catalog-last-page.json'))).nextCursor).toBeNull();
  });

  it.each([
    ['036000291452', '00036000291452'],
    ['36000291452', '00036000291452'],
    ['0 36000 29145 2', '00036000291452'],
    ['4006381333931', '04006381333931'],
    ['10036000291459', '10036000291459'],
  ])('turns %j into GTIN-14 %j', (upc, gtin) => {
    expect(upcToGtin14(upc)).toBe(gtin);
  });

  it.each([null, undefined, '', '036000291453', '1234567', '000000000000', 'ABC000291452', '123456789012345'])('refuses %j (no GTIN rather than a wrong one)', (upc) => {
    expect(upcToGtin14(upc)).toBeNull();
  });
});

describe('brightline mapping: orders', () => {
  const order = (name: string) => Order.parse(fixture(name));

  it('maps every Brightline order status to a canonical one', () => {
    expect(Object.keys(ORDER_STATUS).sort()).toEqual([...ORDER_STATUSES].sort());
    expect(ORDER_STATUS).toMatchObject({ OPEN: 'accepted', BACKORDERED: 'backordered', PARTIALLY_SHIPPED: 'partially_shipped', ON_HOLD: 'on_hold', REJECTED: 'rejected' });
  });

  it('acknowledges an open order as accepted, keeping the raw status', () => {
    const open = order('order-open.json');
    expect(toOrderAck(open, false)).toEqual({ supplierOrderId: open.orderId, status: 'accepted', rawStatus: 'OPEN', alreadyExisted: false });
  });

  it('reports backordered quantities per line', () => {
    const status = toOrderStatus(order('order-backordered.json'));
    expect(status.status).toBe('backordered');
    expect(status.lines).toEqual([
      { supplierSku: 'BL-310007', ordered: 12, shipped: 0, backordered: 5, cancelled: 0 },
      { supplierSku: 'BL-310028', ordered: 3, shipped: 0, backordered: 0, cancelled: 0 },
    ]);
    expect(status.shipments).toEqual([]);
  });

  it('reports a partial shipment with carrier, tracking number and shipped lines', () => {
    const raw = fixture('order-partially-shipped.json') as { shipments: { carrier: string; trackingNumber: string; shippedAt: string }[] };
    const status = toOrderStatus(order('order-partially-shipped.json'));
    expect(status.status).toBe('partially_shipped');
    expect(status.rawStatus).toBe('PARTIALLY_SHIPPED');
    expect(status.lines[0]).toEqual({ supplierSku: 'BL-310007', ordered: 12, shipped: 7, backordered: 5, cancelled: 0 });
    expect(status.shipments).toEqual([
      {
        carrier: raw.shipments[0]!.carrier,
        trackingNumber: raw.shipments[0]!.trackingNumber,
        shippedAt: raw.shipments[0]!.shippedAt,
        lines: [
          { supplierSku: 'BL-310007', quantity: 7 },
          { supplierSku: 'BL-310028', quantity: 3 },
        ],
      },
    ]);
  });

  it('reports a fully shipped order over two shipments', () => {
    const status = toOrderStatus(order('order-shipped.json'));
    expect(status.status).toBe('shipped');
    expect(status.shipments).toHaveLength(2);
    for (const line of status.lines) {
      const shipped = status.shipments.flatMap((s) => s.lines).filter((l) => l.supplierSku === line.supplierSku).reduce((n, l) => n + l.quantity, 0);
      expect({ shipped: line.shipped, backordered: line.backordered }).toEqual({ shipped: line.ordered, backordered: 0 });
      expect(shipped).toBe(line.ordered);
    }
  });

  it('reports cancelled quantities', () => {
    const status = toOrderStatus(order('order-cancelled.json'));
    expect(status.status).toBe('cancelled');
    expect(status.lines.map((l) => l.cancelled)).toEqual([2, 1]);
  });

  it('reads Brightline error bodies and OAuth error bodies', () => {
    expect(readBrightlineError(fixture('error-duplicate-order.json'))).toEqual({ code: 'DUPLICATE_CUSTOMER_ORDER_NUMBER', message: expect.stringContaining('SO4100001') });
    expect(readBrightlineError(fixture('error-not-cancellable.json')).code).toBe('ORDER_NOT_CANCELLABLE');
    expect(readBrightlineError({ error: 'invalid_client', error_description: 'bad' })).toEqual({ code: 'invalid_client', message: 'bad' });
    expect(readBrightlineError('<html>')).toEqual({});
  });
});

describe('brightline mapping: order requests', () => {
  const order: SupplierOrder = {
    idempotencyKey: 'PO-ABC-1',
    lines: [{ lineNumber: 1, supplierSku: 'BL-310000', quantity: 2, unitCost: { amount: '39.09', currency: 'USD' } }],
    shipTo: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'Portland', region: 'OR', postalCode: '97201', country: 'us' },
  };

  it('sends the idempotency key as the customer order number, in Brightline address fields', () => {
    expect(toOrderRequest(order)).toEqual({
      customerOrderNumber: 'PO-ABC-1',
      shippingMethod: 'GROUND',
      shipTo: { name: 'Ada Lovelace', company: null, address1: '12 Analytical Row', address2: null, city: 'Portland', state: 'OR', postalCode: '97201', country: 'US', phone: null, email: null },
      lines: [{ lineNumber: 1, itemNumber: 'BL-310000', quantity: 2 }],
    });
  });

  it('refuses an idempotency key longer than Brightline stores, rather than have it truncated', () => {
    let thrown: unknown;
    try {
      toOrderRequest({ ...order, idempotencyKey: 'P'.repeat(41) });
    } catch (error) {
      thrown = error;
    }
    expect(isRegistryError(thrown) && thrown.code).toBe('INVALID_INPUT');
  });
});

// Issue 14: a 100,000-digit price froze the process for 10 s (a backtracking trim); 40 decimals were served
// verbatim; a lead time of 1e300 weeks became an internal error echoing the number.
describe('brightline mapping: ranges', () => {
  const raw = fixture('availability.json') as { timestamp: string; results: Record<string, unknown>[] };
  const first = raw.results[0]!;
  const asked = new Set([first['partNumber'] as string]);
  /** The fixture's first result with `change` applied, through the wire schema and the mapping, as the connector does. */
  const mapWith = (change: (result: Record<string, unknown>) => void) => () => {
    const result = structuredClone(first);
    change(result);
    return toSupplierStocks(AvailabilityResponse.parse({ ...raw, results: [result] }), asked);
  };
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isRegistryError(error)) return { code: error.code, message: error.message, details: error.details };
      throw error;
    }
    throw new Error('expected a refusal');
  };
  const setPrice = (price: unknown) => (r: Record<string, unknown>) => {
    (r['pricing'] as { breaks: { unitPrice: unknown }[] }).breaks[0]!.unitPrice = price;
  };

  it.each([
    ['a 100,000-digit price', '9'.repeat(100_000), 'price-too-long'],
    ['a price of 1 followed by 100,000 zeros and a 1', `1.${'0'.repeat(100_000)}1`, 'price-too-long'],
    ['40 decimals', `0.${'3'.repeat(40)}`, 'price-too-long'],
    ['7 significant decimals', '1.2345678', 'price-too-precise'],
    ['a negative JSON number', -1, 'price-negative'],
  ])('refuses %s as CONTRACT_VIOLATION naming the field, never the value', (_what, price, reason) => {
    const error = refusal(mapWith(setPrice(price)));
    expect(error).toMatchObject({ code: 'CONTRACT_VIOLATION', details: { reason, field: 'results[0].pricing.breaks[0].unitPrice' } });
    expect(error.message).not.toContain(String(price).slice(0, 8));
  });

  it('keeps 6 significant decimals and drops zeros past them', () => {
    expect(mapWith(setPrice('0.123456000000'))()[0]!.cost).toEqual({ amount: '0.123456', currency: 'USD' });
  });

  it('refuses a lead time of 1e300 weeks (and 53 weeks) in our words', () => {
    for (const weeks of [1e300, 53]) {
      const error = refusal(mapWith((r) => (r['factoryLeadTimeWeeks'] = weeks)));
      expect(error.details).toEqual({ reason: 'lead-time-out-of-range', field: 'results[0].factoryLeadTimeWeeks' });
      expect(error.message).not.toMatch(/1e\+300|7e\+300|371/);
    }
    expect(mapWith((r) => (r['factoryLeadTimeWeeks'] = 52))()[0]!.leadTimeDays).toBe(364);
  });

  it('refuses quantities past the maximum, alone or summed over warehouses', () => {
    const huge = (r: Record<string, unknown>) => ((r['warehouses'] as { quantityAvailable: number }[])[0]!.quantityAvailable = 1e12);
    expect(refusal(mapWith(huge)).details).toEqual({ reason: 'quantity-out-of-range', field: 'results[0].warehouses[0].quantityAvailable' });
    const many = (r: Record<string, unknown>) => (r['warehouses'] = Array.from({ length: 3 }, (_, i) => ({ warehouseCode: `W${i}`, quantityAvailable: 600_000_000 })));
    expect(refusal(mapWith(many)).details).toEqual({ reason: 'quantity-out-of-range', field: 'results[0].warehouses' });
  });

  it('refuses dates outside 2000–2100 and over-long part numbers', () => {
    expect(refusal(mapWith((r) => (r['lastUpdated'] = '9999-01-01T00:00:00Z'))).details).toEqual({ reason: 'date-out-of-range', field: 'results[0].lastUpdated' });
    const longSku = 'B'.repeat(129);
    const response = AvailabilityResponse.parse({ ...raw, results: [{ ...structuredClone(first), partNumber: longSku }] });
    expect(refusal(() => toSupplierStocks(response, new Set([longSku]))).details).toEqual({ reason: 'identifier-too-long', field: 'results[0].partNumber' });
  });

  it('fails the whole answer for one bad result, as a malformed result does at the wire schema', () => {
    const response = AvailabilityResponse.parse({ ...raw, results: [structuredClone(first), { ...structuredClone(first), partNumber: 'BL-2', factoryLeadTimeWeeks: 1e300 }] });
    expect(refusal(() => toSupplierStocks(response, new Set([first['partNumber'] as string, 'BL-2']))).details).toMatchObject({ field: 'results[1].factoryLeadTimeWeeks' });
  });

  it('bounds order figures: quantities, identifiers and dates', () => {
    const order = Order.parse(fixture('order-shipped.json'));
    expect(refusal(() => toOrderStatus({ ...order, lines: [{ ...order.lines[0]!, quantityShipped: 2e9 }] })).details).toMatchObject({ reason: 'quantity-out-of-range', field: 'lines[0].quantityShipped' });
    expect(refusal(() => toOrderStatus({ ...order, orderId: 'O'.repeat(200) })).details).toMatchObject({ reason: 'identifier-too-long', field: 'orderId' });
    expect(refusal(() => toOrderStatus({ ...order, updatedAt: '1969-07-20T20:17:00Z' })).details).toMatchObject({ reason: 'date-out-of-range', field: 'updatedAt' });
  });
});
