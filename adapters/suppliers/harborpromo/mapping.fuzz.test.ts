/**
 * Fuzz test of the PromoStandards mapping (issue 14): answers generated from the published XSDs (schema/promostandards,
 * the copy of shared/fixtures/promostandards) in the shape `soap` hands the mapping, with values across what each
 * XSD type allows and past it, and hostile values in any element's place (100,000-digit numbers, 1e300, NaN text,
 * dates from year 1 to 9999, megabyte text, deep nesting). Each mapping call must return figures within our ranges
 * or throw a CONTRACT_VIOLATION, and take at most MAX_MAPPING_CALL_MS. Fixed seed, bounded runs: the same payloads in
 * CI every time.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fuzzSettings,
  callMapping,
  expectCatalogItemInRange,
  expectOrderStatusInRange,
  expectStockInRange,
  mappableAnswers,
  sweepMutations,
} from '../../../test/support/mapping-fuzz.ts';
import { xsdArbitraries } from '../../../test/support/xsd-arbitrary.ts';
import { mapInventory, mapOrderStatus, mapProduct, mapSellable, mapShipments, toSupplierStock, unitCostOf } from './mapping.ts';

const XSD_ROOT = path.resolve(import.meta.dirname, '../../../schema/promostandards');
// The units the mapping can count in eaches, preferred over the rest of the XSD's enumeration (which it refuses).
const UNITS = { uom: fc.constantFrom('EA', 'PR', 'DZ') };
const xsd = (file: string) => xsdArbitraries(path.join(XSD_ROOT, file), { prefer: UNITS });
const plausible = (file: string) => xsdArbitraries(path.join(XSD_ROOT, file), { prefer: UNITS, plausibleOnly: true });
const RUNS = 1000;
const settings = fuzzSettings(RUNS);
const READ_AT = '2026-06-01T00:00:00.000Z';

describe('PromoStandards mapping fuzz (answers from the XSDs, plus hostile values)', () => {
  it('Inventory 2.0.0 GetInventoryLevelsResponse → stock figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    const answers = xsd('inventory-2.0.0/GetInventoryLevelsResponse.xsd').content('GetInventoryLevelsResponse');
    let mapped = 0;
    fc.assert(
      fc.property(answers, (answer) => {
        const outcome = callMapping(() => mapInventory(answer).map((part) => toSupplierStock(part, null, READ_AT)));
        if (outcome.ok) for (const stock of outcome.value) expectStockInRange(stock), mapped++;
      }),
      settings,
    );
    // The generator reaches the mapping's figures, not only its refusals.
    expect(mapped).toBeGreaterThan(0);
  });

  it('Product Data 2.0.0 GetProductResponse → unit cost and catalog items within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    const answers = xsd('product-data-2.0.0/GetProductResponse.xsd').content('GetProductResponse');
    let priced = 0;
    let items = 0;
    fc.assert(
      fc.property(answers, (answer) => {
        const cost = callMapping(() => unitCostOf(answer));
        if (cost.ok && cost.value) {
          expectStockInRange({ supplierSku: 'P', available: 0, status: 'in_stock', cost: cost.value, leadTimeDays: null, asOf: READ_AT });
          priced++;
        }
        const catalog = callMapping(() => mapProduct(answer));
        if (catalog.ok) for (const item of catalog.value) expectCatalogItemInRange(item), items++;
      }),
      settings,
    );
    expect(priced).toBeGreaterThan(0);
    expect(items).toBeGreaterThan(0);
  });

  it('Product Data 2.0.0 GetProductSellableResponse → bounded part ids, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    const answers = xsd('product-data-2.0.0/GetProductSellableResponse.xsd').content('GetProductSellableResponse');
    fc.assert(
      fc.property(answers, (answer) => {
        const outcome = callMapping(() => mapSellable(answer));
        if (outcome.ok) for (const row of outcome.value) expect(row.partId.length + row.productId.length).toBeLessThanOrEqual(256);
      }),
      settings,
    );
  });

  it('Order Status 2.0.0 GetOrderStatusResponse → line figures within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    const answers = xsd('order-status-2.0.0/GetOrderStatusResponse.xsd').content('GetOrderStatusResponse');
    fc.assert(
      fc.property(answers, (answer) => {
        // Ask for the PO the answer holds (when it names one), so the mapping reads the whole order.
        const statuses = (answer['OrderStatusArray'] as { OrderStatus?: unknown } | undefined)?.OrderStatus;
        const first = (Array.isArray(statuses) ? statuses[0] : statuses) as { purchaseOrderNumber?: unknown } | undefined;
        const po = typeof first?.purchaseOrderNumber === 'string' ? first.purchaseOrderNumber : 'PO-1';
        const outcome = callMapping(() => mapOrderStatus(answer, po));
        if (outcome.ok && outcome.value) expectOrderStatusInRange(outcome.value);
      }),
      settings,
    );
  });

  it('Order Shipment Notification 2.0.0 → shipments within range, or CONTRACT_VIOLATION', { timeout: 60_000 }, () => {
    const answers = xsd('order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd').content('GetOrderShipmentNotificationResponse');
    fc.assert(
      fc.property(answers, (answer) => {
        const outcome = callMapping(() => mapShipments(answer));
        if (outcome.ok) expectOrderStatusInRange({ lines: [], updatedAt: READ_AT, shipments: outcome.value });
      }),
      settings,
    );
  });
});

/** The adversarial half: each hostile value at each field of answers that otherwise map (see singleLeafMutations). */
describe('PromoStandards mapping: one hostile value at each field of a mappable answer', () => {
  const inventory = (answer: Record<string, unknown>) => mapInventory(answer).map((part) => toSupplierStock(part, null, READ_AT));
  const statusOf = (answer: Record<string, unknown>) => {
    const statuses = (answer['OrderStatusArray'] as { OrderStatus?: unknown } | undefined)?.OrderStatus;
    const first = (Array.isArray(statuses) ? statuses[0] : statuses) as { purchaseOrderNumber?: unknown } | undefined;
    return mapOrderStatus(answer, typeof first?.purchaseOrderNumber === 'string' ? first.purchaseOrderNumber : 'PO-1');
  };
  const cases = [
    ['Inventory', 'inventory-2.0.0/GetInventoryLevelsResponse.xsd', 'GetInventoryLevelsResponse', inventory, (s: ReturnType<typeof inventory>) => s.length > 0],
    ['Product Data price', 'product-data-2.0.0/GetProductResponse.xsd', 'GetProductResponse', unitCostOf, (c: ReturnType<typeof unitCostOf>) => c !== null],
    ['Product Data parts', 'product-data-2.0.0/GetProductResponse.xsd', 'GetProductResponse', mapProduct, (items: ReturnType<typeof mapProduct>) => items.length > 0],
    ['Order Status', 'order-status-2.0.0/GetOrderStatusResponse.xsd', 'GetOrderStatusResponse', statusOf, (s: ReturnType<typeof statusOf>) => s !== null],
    ['Order Shipment Notification', 'order-shipment-notification-2.0.0/GetOrderShipmentNotificationResponse.xsd', 'GetOrderShipmentNotificationResponse', mapShipments, (s: ReturnType<typeof mapShipments>) => s.length > 0],
  ] as const;

  it.each(cases)('%s: no exception but CONTRACT_VIOLATION, no call over the bound', { timeout: 60_000 }, (_name, file, element, map, useful) => {
    const bases = mappableAnswers(plausible(file).content(element), map as (a: Record<string, unknown>) => unknown, useful as (m: unknown) => boolean);
    expect(sweepMutations(bases, map as (a: Record<string, unknown>) => unknown)).toBeGreaterThan(100);
  });
});
