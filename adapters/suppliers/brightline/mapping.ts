/**
 * Pure translations between Brightline's vocabulary and the canonical model (adapters/core/model.ts):
 * item numbers pass through as supplier SKUs, warehouse quantities are summed, prices stay decimal strings,
 * UPCs become GTIN-14, and status words map through the two tables below. Unit-tested on recorded payloads.
 */
import { RegistryError } from '../../core/errors.ts';
import type {
  CanonicalOrderStatus,
  CatalogItem,
  CatalogPage,
  Money,
  StockStatus,
  SupplierOrder,
  SupplierOrderAck,
  SupplierOrderStatus,
  SupplierStock,
} from '../../core/model.ts';
import type { AvailabilityResponse, AvailabilityResult, CatalogEntry, CatalogResponse, Order, OrderRequest } from './wire.ts';
import type { ORDER_STATUSES, STOCK_STATUSES } from './wire.ts';

export const SUPPLIER = 'brightline';
/** Brightline refuses customer order numbers longer than this. */
export const MAX_CUSTOMER_ORDER_NUMBER = 40;

const violation = (message: string): RegistryError => new RegistryError('CONTRACT_VIOLATION', `${SUPPLIER}: ${message}`, { supplier: SUPPLIER });

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

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * A price as a canonical decimal string: at least two decimals, no trailing zeros beyond them, no float
 * arithmetic ("12.3400" → "12.34", "7" → "7.00", "0.12345" stays). A JSON number is read through its shortest
 * round-trip text, which is exactly what the supplier wrote for any price with up to 15 significant digits.
 */
export function normaliseDecimal(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) && value >= 0 ? String(value) : '') : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw violation(`price ${JSON.stringify(value)} is not a non-negative decimal`);
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${fraction}`;
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
  if (!upc) return null;
  const digits = upc.replace(/[\s-]/g, '');
  if (!/^\d{11,14}$/.test(digits) || /^0+$/.test(digits)) return null;
  const gtin = digits.padStart(14, '0');
  return gtinCheckDigit(gtin.slice(0, 13)) === Number(gtin[13]) ? gtin : null;
}

/** The single-unit price: the break with the lowest minimum quantity. */
function unitCost(pricing: AvailabilityResult['pricing']): Money | null {
  if (!pricing || pricing.breaks.length === 0) return null;
  const first = pricing.breaks.reduce((a, b) => (b.minQuantity < a.minQuantity ? b : a));
  return { amount: normaliseDecimal(first.unitPrice), currency: pricing.currency };
}

const isoOf = (timestamp: string): string => new Date(timestamp).toISOString();

/**
 * One availability result. Quantities are summed over warehouses; a negative warehouse figure (an oversold
 * bin) counts as zero so the sum never promises stock that is not there. Lead time is the factory lead time.
 */
export function toSupplierStock(result: AvailabilityResult, responseTimestamp: string): SupplierStock {
  return {
    supplierSku: result.partNumber,
    available: result.warehouses.reduce((sum, w) => sum + Math.max(0, w.quantityAvailable), 0),
    status: STOCK_STATUS[result.status],
    cost: unitCost(result.pricing),
    leadTimeDays: result.factoryLeadTimeWeeks === null || result.factoryLeadTimeWeeks === undefined ? null : Math.round(result.factoryLeadTimeWeeks * 7),
    asOf: isoOf(result.lastUpdated ?? responseTimestamp),
  };
}

/** Results for the SKUs we asked for; anything else the supplier volunteers is ignored. */
export function toSupplierStocks(response: AvailabilityResponse, asked: ReadonlySet<string>): SupplierStock[] {
  return response.results.filter((r) => asked.has(r.partNumber)).map((r) => toSupplierStock(r, response.timestamp));
}

const orNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value);

export function toCatalogItem(entry: CatalogEntry): CatalogItem {
  return {
    supplierSku: entry.itemNumber,
    title: entry.title,
    brand: orNull(entry.brand),
    gtin: upcToGtin14(entry.upc),
    manufacturer: orNull(entry.manufacturer),
    mpn: orNull(entry.manufacturerPartNumber),
    description: orNull(entry.description),
  };
}

export function toCatalogPage(response: CatalogResponse): CatalogPage {
  return { items: response.items.map(toCatalogItem), nextCursor: orNull(response.nextPageToken) };
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

export function toOrderAck(order: Order, alreadyExisted: boolean): SupplierOrderAck {
  return { supplierOrderId: order.orderId, status: ORDER_STATUS[order.status], rawStatus: order.status, alreadyExisted };
}

export function toOrderStatus(order: Order): SupplierOrderStatus {
  return {
    supplierOrderId: order.orderId,
    status: ORDER_STATUS[order.status],
    rawStatus: order.status,
    lines: order.lines.map((l) => ({
      supplierSku: l.itemNumber,
      ordered: l.quantityOrdered,
      shipped: l.quantityShipped,
      backordered: l.quantityBackordered,
      cancelled: l.quantityCancelled,
    })),
    shipments: order.shipments.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      shippedAt: s.shippedAt ? isoOf(s.shippedAt) : null,
      lines: s.lines.map((l) => ({ supplierSku: l.itemNumber, quantity: l.quantity })),
    })),
    updatedAt: isoOf(order.updatedAt),
  };
}
