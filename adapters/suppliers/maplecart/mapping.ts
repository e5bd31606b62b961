/**
 * maplecart (Shopify vocabulary) ↔ canonical model. Pure functions only: no I/O, no clock unless passed in.
 */
import type {
  CanonicalOrderStatus,
  CatalogItem,
  Money,
  ProductImage,
  ProductOption,
  SupplierFamily,
  PostalAddress,
  Shipment,
  StockStatus,
  SupplierOrder,
  SupplierOrderLineStatus,
  SupplierOrderStatus,
  SupplierStock,
} from '../../../kernel/model.ts';
import {
  SUPPLIER_RANGES,
  canonicalAmount,
  checkDate,
  checkIdentifier,
  checkQuantity,
  isDateInRange,
  rangeViolation,
  scanDecimal,
  type RangeSource,
} from '../../core/supplier-ranges.ts';
import type { CatalogVariant, DisplayFulfillmentStatus, MaplecartOrder, StockVariant } from './documents.ts';

/**
 * Range checks (adapters/core/supplier-ranges.ts) name maplecart. A figure out of range fails the whole answer, as a
 * malformed node does at the documents' zod shapes; the two lenient rules kept from before are an unreadable unit
 * cost (null: the cost is optional, the stock figure stands) and an unreadable `updatedAt` (the read time).
 */
const SOURCE: RangeSource = { supplier: 'maplecart', label: 'maplecart' };

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
  // Longer than any GTIN with its spaces and dashes: not one, and not worth scanning.
  if (!barcode || barcode.length > 32) return null;
  const digits = barcode.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return null;
  if (!gtinCheckDigitOk(digits)) return null;
  return digits.padStart(14, '0');
}

/**
 * Shopify Decimal ("12.5", "12.0", "3") as a canonical decimal string with at least two places ("12.50").
 * String arithmetic only: no float touches a price. Null for anything that is not a plain non-negative decimal
 * or has no ISO currency. Length comes first and the scan is one linear pass: a price longer than 32 characters or
 * with more than 6 significant decimals is a CONTRACT_VIOLATION (never rounded, never served verbatim).
 */
export function moneyFromShopify(amount: string, currencyCode: string, field = 'unitCost'): Money | null {
  if (amount.length > SUPPLIER_RANGES.maxPriceChars) throw rangeViolation(SOURCE, `${field}.amount`, 'price-too-long');
  if (!/^[A-Z]{3}$/.test(currencyCode)) return null;
  const price = scanDecimal(amount.trim());
  if (!price) return null;
  if (price.fraction.length > SUPPLIER_RANGES.maxPriceDecimals) throw rangeViolation(SOURCE, `${field}.amount`, 'price-too-precise');
  return { amount: canonicalAmount(price), currency: currencyCode };
}

/**
 * Units available now, never negative: the variant's `inventoryQuantity` is Shopify's own sum of `available`
 * over locations, and a CONTINUE-policy item may sell below zero. A shop that withholds the figure (null)
 * is read as none available, so we never promise stock we were not told of. Beyond ± the quantity range it is
 * a CONTRACT_VIOLATION.
 */
export function availableOf(variant: Pick<StockVariant, 'inventoryQuantity'>, field = 'inventoryQuantity'): number {
  const quantity = variant.inventoryQuantity ?? 0;
  return Math.max(0, checkQuantity(quantity, SOURCE, field, -SUPPLIER_RANGES.maxQuantity));
}

/** `archived`: the variant's product is ARCHIVED in the shop (learned from the stock read's archived probe). */
export function stockStatusOf(available: number, variant: Pick<StockVariant, 'inventoryPolicy'>, archived: boolean): StockStatus {
  if (archived) return 'discontinued';
  if (available <= 0) return variant.inventoryPolicy === 'CONTINUE' ? 'backordered' : 'out_of_stock';
  return available < LOW_STOCK_THRESHOLD ? 'low_stock' : 'in_stock';
}

/** The variant's updatedAt (moved by every stock change) is the figure's age; `readAt` when it is unreadable. */
function asOfOf(variant: StockVariant, readAt: string): string {
  return isDateInRange(variant.updatedAt) ? new Date(Date.parse(variant.updatedAt)).toISOString() : readAt;
}

export interface StockReadContext {
  /** When we read the figure (ISO 8601), for a variant without a usable timestamp. */
  readonly readAt: string;
  /** SKUs of the batch whose product is ARCHIVED. */
  readonly archivedSkus: ReadonlySet<string>;
}

export function mapStock(variant: StockVariant, read: StockReadContext, field = 'productVariants.nodes[0]'): SupplierStock | null {
  if (!variant.sku) return null;
  const sku = checkIdentifier(variant.sku, SOURCE, `${field}.sku`);
  const available = availableOf(variant, `${field}.inventoryQuantity`);
  const cost = variant.inventoryItem.unitCost;
  return {
    supplierSku: sku,
    available,
    status: stockStatusOf(available, variant, read.archivedSkus.has(sku)),
    cost: cost ? moneyFromShopify(cost.amount, cost.currencyCode, `${field}.inventoryItem.unitCost`) : null,
    leadTimeDays: null,
    asOf: asOfOf(variant, read.readAt),
  };
}

/** An image URL we pass on: absolute http(s) and of sane length; anything else is left out, not guessed at. */
function imagesOf(image: { url: string; altText: string | null } | null): ProductImage[] {
  const url = image?.url.trim();
  return url && url.length <= 2048 && /^https?:\/\/[^\s]+$/i.test(url) ? [{ url, alt: image!.altText?.trim() || null }] : [];
}

/**
 * Shopify's selected options as they are; a product without options has one variant whose only option is
 * Title = "Default Title", which says nothing (left out).
 */
function optionsOf(selected: CatalogVariant['selectedOptions']): ProductOption[] {
  return selected
    .map((o) => ({ name: o.name.trim(), value: o.value.trim() }))
    .filter((o) => o.name !== '' && o.value !== '' && !(o.name === 'Title' && o.value === 'Default Title'));
}

/** A variant without a SKU cannot be ordered through us: left out of the catalog. */
export function mapCatalogItem(variant: CatalogVariant, index = 0): CatalogItem | null {
  if (!variant.sku) return null;
  const field = `productVariants.nodes[${index}]`;
  const description = variant.product.description.trim();
  const manufacturer = variant.product.manufacturer?.value ?? null;
  const mpn = variant.mpn?.value ?? null;
  const productType = variant.product.productType.trim();
  const categories = productType === '' ? [] : [productType];
  // The Shopify product is the family; its variants are ours. Its type is the one category Shopify has.
  const family: SupplierFamily = {
    id: checkIdentifier(variant.product.id, SOURCE, `${field}.product.id`),
    name: variant.product.title,
    brand: variant.product.vendor || null,
    categories,
    images: imagesOf(variant.product.featuredImage),
  };
  return {
    family,
    options: optionsOf(variant.selectedOptions),
    images: imagesOf(variant.image),
    categories,
    supplierSku: checkIdentifier(variant.sku, SOURCE, `${field}.sku`),
    title: variant.displayName,
    brand: variant.product.vendor || null,
    gtin: gtinFromBarcode(variant.barcode),
    // Both are matching keys (a canonical SKU is built from them): identifiers, so bounded like one.
    manufacturer: manufacturer === null ? null : checkIdentifier(manufacturer, SOURCE, `${field}.product.manufacturer.value`),
    mpn: mpn === null ? null : checkIdentifier(mpn, SOURCE, `${field}.mpn.value`),
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

const units = (value: number, field: string): number => checkQuantity(value, SOURCE, field);

function lineStatuses(order: MaplecartOrder): SupplierOrderLineStatus[] {
  const backorderedHold = outOfStockHold(order) && !order.cancelledAt;
  const bySku = new Map<string, { ordered: number; shipped: number; backordered: number; cancelled: number }>();
  order.lineItems.nodes.forEach((line, i) => {
    if (!line.sku) return;
    const field = `lineItems.nodes[${i}]`;
    const sku = checkIdentifier(line.sku, SOURCE, `${field}.sku`);
    const quantity = units(line.quantity, `${field}.quantity`);
    const current = units(line.currentQuantity, `${field}.currentQuantity`);
    const unfulfilled = units(line.unfulfilledQuantity, `${field}.unfulfilledQuantity`);
    const row = bySku.get(sku) ?? { ordered: 0, shipped: 0, backordered: 0, cancelled: 0 };
    row.ordered += quantity;
    row.cancelled += quantity - current;
    row.shipped += current - unfulfilled;
    row.backordered += backorderedHold ? unfulfilled : 0;
    bySku.set(sku, row);
  });
  return [...bySku].map(([supplierSku, row]) => ({ supplierSku, ...row }));
}

/** One shipment per fulfillment, under its first tracking number (Shopify allows several; we keep one). */
function shipments(order: MaplecartOrder): Shipment[] {
  return liveFulfillments(order).map((f, i) => {
    const field = `fulfillments[${i}]`;
    const tracking = f.trackingInfo[0];
    return {
      carrier: tracking?.company ? checkIdentifier(tracking.company, SOURCE, `${field}.trackingInfo[0].company`) : 'unknown',
      trackingNumber: tracking?.number ? checkIdentifier(tracking.number, SOURCE, `${field}.trackingInfo[0].number`) : '',
      shippedAt: checkDate(f.createdAt, SOURCE, `${field}.createdAt`),
      lines: f.fulfillmentLineItems.nodes.flatMap((l, j) =>
        l.lineItem.sku === null
          ? []
          : [
              {
                supplierSku: checkIdentifier(l.lineItem.sku, SOURCE, `${field}.fulfillmentLineItems.nodes[${j}].lineItem.sku`),
                quantity: units(l.quantity, `${field}.fulfillmentLineItems.nodes[${j}].quantity`),
              },
            ],
      ),
    };
  });
}

export function mapOrderStatus(order: MaplecartOrder): SupplierOrderStatus {
  return {
    supplierOrderId: checkIdentifier(order.id, SOURCE, 'order.id'),
    status: canonicalStatus(order),
    rawStatus: rawStatusOf(order),
    lines: lineStatuses(order),
    shipments: shipments(order),
    updatedAt: checkDate(order.updatedAt, SOURCE, 'order.updatedAt'),
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
