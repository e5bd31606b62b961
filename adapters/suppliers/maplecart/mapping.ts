/**
 * maplecart (Shopify vocabulary) ↔ canonical model. Pure functions only: no I/O, no clock unless passed in.
 */
import type {
  CanonicalOrderStatus,
  CatalogItem,
  Money,
  PostalAddress,
  Shipment,
  StockStatus,
  SupplierOrder,
  SupplierOrderLineStatus,
  SupplierOrderStatus,
  SupplierStock,
} from '../../core/model.ts';
import type { CatalogVariant, DisplayFulfillmentStatus, MaplecartOrder, StockVariant } from './documents.ts';

/** Below this many units an item is reported as low stock. */
export const LOW_STOCK_THRESHOLD = 10;

function gtinCheckDigitOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length - 1; i++) {
    const digit = Number(digits[digits.length - 2 - i]);
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10 === Number(digits[digits.length - 1]);
}

/**
 * A Shopify barcode (free text; maplecart stores EAN-13) as GTIN-14: digits only, left-padded with zeros.
 * Null for anything that is not a GTIN-8/12/13/14 with a valid check digit (ISBNs with dashes, SKUs typed
 * into the barcode field), so catalog matching never trusts a wrong identifier.
 */
export function gtinFromBarcode(barcode: string | null | undefined): string | null {
  if (!barcode) return null;
  const digits = barcode.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return null;
  if (!gtinCheckDigitOk(digits)) return null;
  return digits.padStart(14, '0');
}

/**
 * Shopify Decimal ("12.5", "12.0", "3") as a canonical decimal string with at least two places ("12.50").
 * String arithmetic only: no float touches a price. Null for anything that is not a plain non-negative decimal.
 */
export function moneyFromShopify(amount: string, currencyCode: string): Money | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match || !/^[A-Z]{3}$/.test(currencyCode)) return null;
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '').padEnd(2, '0');
  return { amount: `${whole}.${fraction}`, currency: currencyCode };
}

/**
 * Units available now, never negative: the variant's `inventoryQuantity` is Shopify's own sum of `available`
 * over locations, and a CONTINUE-policy item may sell below zero. A shop that withholds the figure (null)
 * is read as none available, so we never promise stock we were not told of.
 */
export function availableOf(variant: Pick<StockVariant, 'inventoryQuantity'>): number {
  return Math.max(0, variant.inventoryQuantity ?? 0);
}

/** `archived`: the variant's product is ARCHIVED in the shop (learned from the stock read's archived probe). */
export function stockStatusOf(available: number, variant: Pick<StockVariant, 'inventoryPolicy'>, archived: boolean): StockStatus {
  if (archived) return 'discontinued';
  if (available <= 0) return variant.inventoryPolicy === 'CONTINUE' ? 'backordered' : 'out_of_stock';
  return available < LOW_STOCK_THRESHOLD ? 'low_stock' : 'in_stock';
}

/** The variant's updatedAt (moved by every stock change) is the figure's age; `readAt` when it is unreadable. */
function asOfOf(variant: StockVariant, readAt: string): string {
  const at = Date.parse(variant.updatedAt);
  return Number.isNaN(at) ? readAt : new Date(at).toISOString();
}

export interface StockReadContext {
  /** When we read the figure (ISO 8601), for a variant without a usable timestamp. */
  readonly readAt: string;
  /** SKUs of the batch whose product is ARCHIVED. */
  readonly archivedSkus: ReadonlySet<string>;
}

export function mapStock(variant: StockVariant, read: StockReadContext): SupplierStock | null {
  if (!variant.sku) return null;
  const available = availableOf(variant);
  const cost = variant.inventoryItem.unitCost;
  return {
    supplierSku: variant.sku,
    available,
    status: stockStatusOf(available, variant, read.archivedSkus.has(variant.sku)),
    cost: cost ? moneyFromShopify(cost.amount, cost.currencyCode) : null,
    leadTimeDays: null,
    asOf: asOfOf(variant, read.readAt),
  };
}

/** A variant without a SKU cannot be ordered through us: left out of the catalog. */
export function mapCatalogItem(variant: CatalogVariant): CatalogItem | null {
  if (!variant.sku) return null;
  const description = variant.product.description.trim();
  return {
    supplierSku: variant.sku,
    title: variant.displayName,
    brand: variant.product.vendor || null,
    gtin: gtinFromBarcode(variant.barcode),
    manufacturer: variant.product.manufacturer?.value ?? null,
    mpn: variant.mpn?.value ?? null,
    description: description === '' ? null : description,
  };
}

const DISPLAY_STATUS: Readonly<Record<DisplayFulfillmentStatus, CanonicalOrderStatus>> = {
  PENDING_FULFILLMENT: 'submitted',
  UNFULFILLED: 'accepted',
  OPEN: 'accepted',
  SCHEDULED: 'accepted',
  IN_PROGRESS: 'accepted',
  ON_HOLD: 'on_hold',
  PARTIALLY_FULFILLED: 'partially_shipped',
  FULFILLED: 'shipped',
  REQUEST_DECLINED: 'rejected',
  RESTOCKED: 'cancelled',
};

type StatusFields = Pick<MaplecartOrder, 'cancelledAt' | 'displayFulfillmentStatus' | 'fulfillmentOrders' | 'fulfillments'>;

const outOfStockHold = (order: StatusFields): boolean =>
  order.fulfillmentOrders.nodes.some((fo) => fo.fulfillmentHolds.some((h) => h.reason === 'INVENTORY_OUT_OF_STOCK'));

const liveFulfillments = (order: Pick<MaplecartOrder, 'fulfillments'>) =>
  order.fulfillments.filter((f) => f.status === 'SUCCESS' || f.status === 'OPEN' || f.status === 'PENDING');

/** Shopify's order words → the canonical machine; see docs/suppliers/maplecart-graphql.md for the table. */
export function canonicalStatus(order: StatusFields): CanonicalOrderStatus {
  if (order.cancelledAt) return 'cancelled';
  const status = DISPLAY_STATUS[order.displayFulfillmentStatus];
  if (status === 'on_hold' && outOfStockHold(order)) return 'backordered';
  if (status === 'shipped') {
    const live = liveFulfillments(order);
    if (live.length > 0 && live.every((f) => f.displayStatus === 'DELIVERED')) return 'delivered';
  }
  return status;
}

export const rawStatusOf = (order: Pick<MaplecartOrder, 'cancelledAt' | 'displayFulfillmentStatus'>): string =>
  order.cancelledAt ? `CANCELLED/${order.displayFulfillmentStatus}` : order.displayFulfillmentStatus;

function lineStatuses(order: MaplecartOrder): SupplierOrderLineStatus[] {
  const backorderedHold = outOfStockHold(order) && !order.cancelledAt;
  const bySku = new Map<string, { ordered: number; shipped: number; backordered: number; cancelled: number }>();
  for (const line of order.lineItems.nodes) {
    if (!line.sku) continue;
    const row = bySku.get(line.sku) ?? { ordered: 0, shipped: 0, backordered: 0, cancelled: 0 };
    row.ordered += line.quantity;
    row.cancelled += line.quantity - line.currentQuantity;
    row.shipped += line.currentQuantity - line.unfulfilledQuantity;
    row.backordered += backorderedHold ? line.unfulfilledQuantity : 0;
    bySku.set(line.sku, row);
  }
  return [...bySku].map(([supplierSku, row]) => ({ supplierSku, ...row }));
}

/** One shipment per fulfillment, under its first tracking number (Shopify allows several; we keep one). */
function shipments(order: MaplecartOrder): Shipment[] {
  return liveFulfillments(order).map((f) => ({
    carrier: f.trackingInfo[0]?.company ?? 'unknown',
    trackingNumber: f.trackingInfo[0]?.number ?? '',
    shippedAt: f.createdAt,
    lines: f.fulfillmentLineItems.nodes
      .filter((l): l is typeof l & { lineItem: { sku: string } } => l.lineItem.sku !== null)
      .map((l) => ({ supplierSku: l.lineItem.sku, quantity: l.quantity })),
  }));
}

export function mapOrderStatus(order: MaplecartOrder): SupplierOrderStatus {
  return {
    supplierOrderId: order.id,
    status: canonicalStatus(order),
    rawStatus: rawStatusOf(order),
    lines: lineStatuses(order),
    shipments: shipments(order),
    updatedAt: order.updatedAt,
  };
}

/** Shopify search syntax, every value quoted so a SKU with spaces or colons stays one term. */
const quoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export const skuSearchQuery = (skus: readonly string[]): string => skus.map((sku) => `sku:${quoted(sku)}`).join(' OR ');

/** The same SKUs, narrowed to variants of ARCHIVED products (Shopify's `product_status` filter). */
export const archivedSkuSearchQuery = (skus: readonly string[]): string => `product_status:archived AND (${skuSearchQuery(skus)})`;

export const sourceIdentifierQuery = (key: string): string => `source_identifier:${quoted(key)}`;

function mailingAddress(address: PostalAddress): Record<string, string | null> {
  // Shopify splits names; ours is one field. The last word is the surname, a single word is all surname.
  const parts = address.name.trim().split(/\s+/);
  const lastName = parts.pop() ?? '';
  const firstName = parts.length > 0 ? parts.join(' ') : null;
  return {
    firstName,
    lastName,
    company: address.company ?? null,
    address1: address.line1,
    address2: address.line2 ?? null,
    city: address.city,
    provinceCode: address.region ?? null,
    countryCode: address.country.toUpperCase(),
    zip: address.postalCode,
    phone: address.phone ?? null,
  };
}

/** Our order as Shopify's OrderCreateOrderInput; the idempotency key doubles as the natural key. */
export function orderCreateInput(order: SupplierOrder): Record<string, unknown> {
  return {
    sourceIdentifier: order.idempotencyKey,
    email: order.shipTo.email ?? null,
    lineItems: order.lines.map((line) => ({ sku: line.supplierSku, quantity: line.quantity })),
    shippingAddress: mailingAddress(order.shipTo),
  };
}
