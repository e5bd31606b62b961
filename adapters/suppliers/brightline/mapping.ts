/**
 * Pure translations between Brightline's vocabulary and the canonical model (kernel/model.ts):
 * item numbers pass through as supplier SKUs, warehouse quantities are summed, prices stay decimal strings,
 * UPCs become GTIN-14, and status words map through the two tables below. Unit-tested on recorded payloads.
 */
import { RegistryError } from '../../../kernel/errors.ts';
import { canonicalAmount, checkDate, checkIdentifier, checkLeadTimeDays, checkPrice, checkQuantity, SUPPLIER_RANGES, type RangeSource } from '../../core/supplier-ranges.ts';
import type {
  CanonicalOrderStatus,
  CatalogItem,
  ProductImage,
  ProductOption,
  SupplierFamily,
  CatalogPage,
  Money,
  StockStatus,
  SupplierOrder,
  SupplierOrderAck,
  SupplierOrderStatus,
  SupplierStock,
} from '../../../kernel/model.ts';
import type { AvailabilityResponse, AvailabilityResult, CatalogEntry, CatalogResponse, Order, OrderRequest } from './wire.ts';
import type { ORDER_STATUSES, STOCK_STATUSES } from './wire.ts';

export const SUPPLIER = 'brightline';
/** Brightline refuses customer order numbers longer than this. */
export const MAX_CUSTOMER_ORDER_NUMBER = 40;

/** Range checks name Brightline; a bad figure fails the whole answer, like a malformed item does (wire.ts). */
const SOURCE: RangeSource = { supplier: SUPPLIER, label: SUPPLIER };

export const STOCK_STATUS: Readonly<Record<(typeof STOCK_STATUSES)[number], StockStatus>> = {
  IN_STOCK: 'in_stock',
  LIMITED_STOCK: 'low_stock',
  BACKORDER: 'backordered',
  OUT_OF_STOCK: 'out_of_stock',
  END_OF_LIFE: 'discontinued',
};

/**
 * OPEN already means Brightline validated the lines and allocated stock, so it is `accepted`, like PROCESSING;
 * Brightline has no state for "received, not yet checked", so it never reports `submitted`.
 */
export const ORDER_STATUS: Readonly<Record<(typeof ORDER_STATUSES)[number], CanonicalOrderStatus>> = {
  OPEN: 'accepted',
  PROCESSING: 'accepted',
  BACKORDERED: 'backordered',
  PARTIALLY_SHIPPED: 'partially_shipped',
  SHIPPED: 'shipped',
  DELIVERED: 'delivered',
  ON_HOLD: 'on_hold',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
};

/**
 * A price as a canonical decimal string: at least two decimals, no trailing zeros beyond them, no float
 * arithmetic ("12.3400" → "12.34", "7" → "7.00", "0.12345" stays). A JSON number is read through its shortest
 * round-trip text, which is exactly what the supplier wrote for any price with up to 15 significant digits.
 * Length and precision are checked first, in one linear pass (adapters/core/supplier-ranges.ts): a price longer
 * than 32 characters or with more than 6 significant decimals is a CONTRACT_VIOLATION, never rounded.
 */
export function normaliseDecimal(value: string | number, field = 'price'): string {
  return canonicalAmount(checkPrice(value, SOURCE, field));
}

function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/**
 * UPC-A → GTIN-14. Brightline's item master lost the leading zero of some UPCs (11 digits), as spreadsheets do;
 * left-padding restores it. EAN-13 and GTIN-14 pass through padded. Anything whose check digit fails is null:
 * a wrong GTIN would match the wrong canonical product, which is worse than matching on MPN.
 */
export function upcToGtin14(upc: string | null | undefined): string | null {
  // Longer than any GTIN with its spaces and dashes: not one, and not worth scanning.
  if (!upc || upc.length > 32) return null;
  const digits = upc.replace(/[\s-]/g, '');
  if (!/^\d{11,14}$/.test(digits) || /^0+$/.test(digits)) return null;
  const gtin = digits.padStart(14, '0');
  return gtinCheckDigit(gtin.slice(0, 13)) === Number(gtin[13]) ? gtin : null;
}

/** The single-unit price: the break with the lowest minimum quantity. */
function unitCost(pricing: AvailabilityResult['pricing'], field: string): Money | null {
  if (!pricing || pricing.breaks.length === 0) return null;
  let first = 0;
  pricing.breaks.forEach((b, i) => {
    checkQuantity(b.minQuantity, SOURCE, `${field}.breaks[${i}].minQuantity`);
    if (b.minQuantity < pricing.breaks[first]!.minQuantity) first = i;
  });
  return { amount: normaliseDecimal(pricing.breaks[first]!.unitPrice, `${field}.breaks[${first}].unitPrice`), currency: pricing.currency };
}

const isoOf = (timestamp: string, field: string): string => checkDate(timestamp, SOURCE, field);

/**
 * Units over every warehouse. A negative warehouse figure (an oversold bin) counts as zero so the sum never
 * promises stock that is not there; each figure, and the sum, stays within the quantity range.
 */
function availableOf(warehouses: AvailabilityResult['warehouses'], field: string): number {
  let sum = 0;
  warehouses.forEach((w, i) => {
    sum += Math.max(0, checkQuantity(w.quantityAvailable, SOURCE, `${field}.warehouses[${i}].quantityAvailable`, -SUPPLIER_RANGES.maxQuantity));
  });
  return checkQuantity(sum, SOURCE, `${field}.warehouses`);
}

/** One availability result. Lead time is the factory lead time, in weeks on the wire, days in the model. */
export function toSupplierStock(result: AvailabilityResult, responseTimestamp: string, field = 'results[0]'): SupplierStock {
  const weeks = result.factoryLeadTimeWeeks;
  return {
    supplierSku: checkIdentifier(result.partNumber, SOURCE, `${field}.partNumber`),
    available: availableOf(result.warehouses, field),
    status: STOCK_STATUS[result.status],
    cost: unitCost(result.pricing, `${field}.pricing`),
    leadTimeDays: weeks === null || weeks === undefined ? null : checkLeadTimeDays(weeks * 7, SOURCE, `${field}.factoryLeadTimeWeeks`),
    asOf: result.lastUpdated ? isoOf(result.lastUpdated, `${field}.lastUpdated`) : isoOf(responseTimestamp, 'timestamp'),
  };
}

/**
 * Results for the SKUs we asked for; anything else the supplier volunteers is ignored. One result out of range
 * fails the whole answer (CONTRACT_VIOLATION), as one malformed result does at the wire schema.
 */
export function toSupplierStocks(response: AvailabilityResponse, asked: ReadonlySet<string>): SupplierStock[] {
  const out: SupplierStock[] = [];
  response.results.forEach((r, i) => {
    if (asked.has(r.partNumber)) out.push(toSupplierStock(r, response.timestamp, `results[${i}]`));
  });
  return out;
}

const orNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value);

const matchingKey = (value: string | null, field: string): string | null => (value === null ? null : checkIdentifier(value, SOURCE, field));

/** An image URL we pass on: absolute http(s) and of sane length; anything else is left out, not guessed at. */
function imagesOf(images: readonly { url: string; altText?: string | null | undefined }[] | null | undefined): ProductImage[] {
  return (images ?? []).flatMap((i) => {
    const url = i.url.trim();
    return url.length <= 2048 && /^https?:\/\/[^\s]+$/i.test(url) ? [{ url, alt: orNull(i.altText) }] : [];
  });
}

/** Brightline's attribute names are lower case (`color`, `size`); the canonical ones are Color and Size. */
const OPTION_NAMES: Readonly<Record<string, string>> = { color: 'Color', colour: 'Color', size: 'Size' };

function optionsOf(attributes: CatalogEntry['attributes']): ProductOption[] {
  return (attributes ?? []).flatMap((a) => {
    const name = a.name.trim();
    const value = a.value.trim();
    if (name === '' || value === '') return [];
    return [{ name: OPTION_NAMES[name.toLowerCase()] ?? name.charAt(0).toUpperCase() + name.slice(1), value }];
  });
}

/** A Brightline style is the family; an item without one is sold on its own (no family). */
function familyOf(entry: CatalogEntry, categories: string[], field: string): SupplierFamily | null {
  if (!entry.style) return null;
  return {
    id: checkIdentifier(entry.style.styleNumber, SOURCE, `${field}.style.styleNumber`),
    name: entry.style.name,
    brand: orNull(entry.brand),
    categories,
    images: imagesOf(entry.style.images),
  };
}

export function toCatalogItem(entry: CatalogEntry, field = 'items[0]'): CatalogItem {
  const category = orNull(entry.category);
  const categories = category === null ? [] : [category.trim()];
  return {
    family: familyOf(entry, categories, field),
    options: optionsOf(entry.attributes),
    images: imagesOf(entry.images),
    categories,
    supplierSku: checkIdentifier(entry.itemNumber, SOURCE, `${field}.itemNumber`),
    title: entry.title,
    brand: orNull(entry.brand),
    gtin: upcToGtin14(entry.upc),
    // Both are matching keys (a canonical SKU is built from them): identifiers, so bounded like one.
    manufacturer: matchingKey(orNull(entry.manufacturer), `${field}.manufacturer`),
    mpn: matchingKey(orNull(entry.manufacturerPartNumber), `${field}.manufacturerPartNumber`),
    description: orNull(entry.description),
  };
}

export function toCatalogPage(response: CatalogResponse): CatalogPage {
  const cursor = orNull(response.nextPageToken);
  return {
    items: response.items.map((entry, i) => toCatalogItem(entry, `items[${i}]`)),
    nextCursor: cursor === null ? null : checkIdentifier(cursor, SOURCE, 'nextPageToken'),
  };
}

export function toOrderRequest(order: SupplierOrder): OrderRequest {
  if (order.idempotencyKey.length > MAX_CUSTOMER_ORDER_NUMBER) {
    throw new RegistryError('INVALID_INPUT', `${SUPPLIER} accepts customer order numbers up to ${MAX_CUSTOMER_ORDER_NUMBER} characters`, {
      supplier: SUPPLIER,
      details: { length: order.idempotencyKey.length },
    });
  }
  const a = order.shipTo;
  return {
    customerOrderNumber: order.idempotencyKey,
    shippingMethod: 'GROUND',
    shipTo: {
      name: a.name,
      company: a.company ?? null,
      address1: a.line1,
      address2: a.line2 ?? null,
      city: a.city,
      state: a.region ?? null,
      postalCode: a.postalCode,
      country: a.country.toUpperCase(),
      phone: a.phone ?? null,
      email: a.email ?? null,
    },
    lines: order.lines.map((l) => ({ lineNumber: l.lineNumber, itemNumber: l.supplierSku, quantity: l.quantity })),
  };
}

const orderIdOf = (order: Order): string => checkIdentifier(order.orderId, SOURCE, 'orderId');

export function toOrderAck(order: Order, alreadyExisted: boolean): SupplierOrderAck {
  return { supplierOrderId: orderIdOf(order), status: ORDER_STATUS[order.status], rawStatus: order.status, alreadyExisted };
}

const quantity = (value: number, field: string): number => checkQuantity(value, SOURCE, field);

export function toOrderStatus(order: Order): SupplierOrderStatus {
  return {
    supplierOrderId: orderIdOf(order),
    status: ORDER_STATUS[order.status],
    rawStatus: order.status,
    lines: order.lines.map((l, i) => ({
      supplierSku: checkIdentifier(l.itemNumber, SOURCE, `lines[${i}].itemNumber`),
      ordered: quantity(l.quantityOrdered, `lines[${i}].quantityOrdered`),
      shipped: quantity(l.quantityShipped, `lines[${i}].quantityShipped`),
      backordered: quantity(l.quantityBackordered, `lines[${i}].quantityBackordered`),
      cancelled: quantity(l.quantityCancelled, `lines[${i}].quantityCancelled`),
    })),
    shipments: order.shipments.map((s, i) => ({
      carrier: checkIdentifier(s.carrier, SOURCE, `shipments[${i}].carrier`),
      trackingNumber: checkIdentifier(s.trackingNumber, SOURCE, `shipments[${i}].trackingNumber`),
      shippedAt: s.shippedAt ? isoOf(s.shippedAt, `shipments[${i}].shippedAt`) : null,
      lines: s.lines.map((l, j) => ({
        supplierSku: checkIdentifier(l.itemNumber, SOURCE, `shipments[${i}].lines[${j}].itemNumber`),
        quantity: quantity(l.quantity, `shipments[${i}].lines[${j}].quantity`),
      })),
    })),
    updatedAt: isoOf(order.updatedAt, 'updatedAt'),
  };
}
