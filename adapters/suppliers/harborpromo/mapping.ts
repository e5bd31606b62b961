/**
 * Pure functions from a supplier's PromoStandards answers (as `soap` parses them) to the canonical model.
 * Every value goes through adapters/soap/coerce: `soap` may give strings or numbers, objects or arrays.
 */
import { RegistryError } from '../../../kernel/errors.ts';
import { cleanSupplierText } from '../../core/supplier-text.ts';
import type {
  CanonicalOrderStatus,
  CatalogItem,
  IncomingStock,
  Money,
  ProductImage,
  ProductOption,
  SupplierFamily,
  Shipment,
  StockStatus,
  SupplierOrderLineStatus,
  SupplierStock,
} from '../../../kernel/model.ts';
import {
  SUPPLIER_RANGES,
  checkDate,
  checkIdentifier,
  checkLeadTimeDays,
  canonicalAmount,
  checkPrice,
  checkQuantity,
  rangeViolation,
  type RangeReason,
  type RangeSource,
} from '../../core/supplier-ranges.ts';
import { asArray, asBool, asCount, asDateTime, asInt, asRecord, asText, requireText, type Raw } from '../../soap/coerce.ts';

type Rec = Record<string, Raw>;
const rec = (value: Raw, what: string): Rec => asRecord(value, what) ?? {};
const recs = (value: Raw, what: string): Rec[] => asArray(value).map((v, i) => rec(v, `${what}[${i}]`));

/**
 * Ranges (adapters/core/supplier-ranges.ts). This mapping serves every PromoStandards supplier, so its errors name
 * the family; the connector's logs name the supplier. A value out of range fails the whole answer it came in (one
 * product's inventory, one product's data, one order's status), as a malformed value always has here.
 */
const SOURCE: RangeSource = { label: 'PromoStandards answer' };

const requiredId = (value: Raw, field: string): string => checkIdentifier(requireText(value, field), SOURCE, field);
const optionalId = (value: Raw, field: string): string | undefined => {
  const id = asText(value, field);
  return id === undefined ? undefined : checkIdentifier(id, SOURCE, field);
};
/** xsd:dateTime within the date window; undefined when absent. Length first: Date.parse sees at most 64 characters. */
const date = (value: Raw, field: string): string | undefined => {
  if (typeof value === 'string' && value.length > SUPPLIER_RANGES.maxDateChars) throw rangeViolation(SOURCE, field, 'date-too-long');
  const iso = asDateTime(value, field);
  return iso === undefined ? undefined : checkDate(iso, SOURCE, field);
};
/** A number's text is bounded before coerce's expression reads it: a count or an int has no business past 32 characters. */
const numberText = (value: Raw, field: string, reason: RangeReason = 'quantity-out-of-range'): Raw => {
  if (typeof value === 'string' && value.length > SUPPLIER_RANGES.maxPriceChars) throw rangeViolation(SOURCE, field, reason);
  return value;
};

/** Below this many units a part is reported as low stock. */
export const LOW_STOCK_THRESHOLD = 10;

// ---- identifiers ----

function gtinCheckDigitOk(digits14: string): boolean {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits14[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(digits14[13]);
}

/** UPC-A, EAN-8/13 or GTIN-14 → GTIN-14 (left-padded); null when absent or not a valid GTIN. */
export function normalizeGtin(raw: string | undefined | null): string | null {
  // Longer than any GTIN with its spaces and dashes: not one, and not worth scanning.
  if (!raw || raw.length > 32) return null;
  const digits = raw.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits) || ![8, 12, 13, 14].includes(digits.length)) return null;
  const gtin = digits.padStart(14, '0');
  return gtinCheckDigitOk(gtin) ? gtin : null;
}

// ---- quantities ----

/** Units of measure the standard enumerates that we can turn into eaches. */
const UNITS_PER: Readonly<Record<string, number>> = { EA: 1, PR: 2, DZ: 12 };

/** A PromoStandards Quantity ({uom, value}) in eaches, within the quantity range. */
export function quantityInEaches(quantity: Raw, what: string): number {
  const q = rec(quantity, what);
  const uom = requireText(q['uom'], `${what}.uom`);
  const factor = UNITS_PER[uom];
  const value = asCount(numberText(q['value'], `${what}.value`), `${what}.value`);
  // The unit is the supplier's text: it goes to details (cleaned), the message stays ours.
  if (factor === undefined) throw new RegistryError('CONTRACT_VIOLATION', `${what}: unit of measure cannot be counted in eaches`, { details: { reason: 'unknown-unit', uom: cleanSupplierText(uom, 40) } });
  return checkQuantity((value ?? 0) * factor, SOURCE, `${what}.value`);
}

/** A sum of quantities, held to the same range as each of them. */
const total = (sum: number, field: string): number => checkQuantity(sum, SOURCE, field);

// ---- Inventory 2.0.0 ----

export interface PartInventory {
  readonly partId: string;
  readonly available: number;
  readonly status: StockStatus;
  readonly leadTimeDays: number | null;
  readonly asOf: string | null;
  /** FutureAvailability over all locations, summed per date, earliest first. */
  readonly incoming: readonly IncomingStock[];
}

/** Every location's FutureAvailability of one part, summed per date (several warehouses may expect stock one day). */
function incomingOf(locations: readonly Rec[]): IncomingStock[] {
  const byDate = new Map<string, number>();
  locations.forEach((location, i) => {
    const field = `InventoryLocation[${i}].FutureAvailability`;
    recs(rec(location['FutureAvailabilityArray'], 'FutureAvailabilityArray')['FutureAvailability'], field).forEach((future, j) => {
      const availableOn = date(future['availableOn'], `${field}[${j}].availableOn`);
      if (availableOn === undefined) throw new RegistryError('CONTRACT_VIOLATION', 'supplier response: FutureAvailability.availableOn is missing');
      const quantity = quantityInEaches(future['Quantity'], `${field}[${j}].Quantity`);
      if (quantity > 0) byDate.set(availableOn, total((byDate.get(availableOn) ?? 0) + quantity, `${field}[${j}].Quantity`));
    });
  });
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([availableOn, quantity]) => ({ quantity, availableOn }));
}

/**
 * The parts of a GetInventoryLevelsResponse. Stock is summed over the InventoryLocations (what can ship now from
 * any warehouse); quantityAvailable is used only when a supplier lists no locations.
 */
export function mapInventory(response: Rec): PartInventory[] {
  const inventory = rec(response['Inventory'], 'Inventory');
  return recs(rec(inventory['PartInventoryArray'], 'PartInventoryArray')['PartInventory'], 'PartInventory').map((part, p) => {
    const field = `PartInventory[${p}]`;
    const partId = requiredId(part['partId'], `${field}.partId`);
    const locations = recs(rec(part['InventoryLocationArray'], 'InventoryLocationArray')['InventoryLocation'], 'InventoryLocation');
    const available =
      locations.length > 0
        ? total(
            locations.reduce((sum, l, i) => sum + quantityInEaches(rec(l['inventoryLocationQuantity'], 'inventoryLocationQuantity')['Quantity'], `InventoryLocation[${i}]`), 0),
            `${field}.InventoryLocationArray`,
          )
        : quantityInEaches(rec(part['quantityAvailable'], 'quantityAvailable')['Quantity'], 'quantityAvailable');
    const madeToOrder = asBool(part['buyToOrder'], 'buyToOrder') === true || asBool(part['manufacturedItem'], 'manufacturedItem') === true;
    const status: StockStatus = available === 0 ? (madeToOrder ? 'backordered' : 'out_of_stock') : available < LOW_STOCK_THRESHOLD ? 'low_stock' : 'in_stock';
    return {
      partId,
      available,
      status,
      leadTimeDays: leadTimeOf(part['replenishmentLeadTime'], `${field}.replenishmentLeadTime`),
      asOf: date(part['lastModified'], `${field}.lastModified`) ?? null,
      incoming: incomingOf(locations),
    };
  });
}

/** Inventory 2.0.0's replenishmentLeadTime is in days: 0 to the maximum lead time, else CONTRACT_VIOLATION. */
function leadTimeOf(value: Raw, field: string): number | null {
  const days = asInt(numberText(value, field, 'lead-time-out-of-range'), field);
  return days === undefined ? null : checkLeadTimeDays(days, SOURCE, field);
}

export function toSupplierStock(part: PartInventory, cost: Money | null, readAt: string): SupplierStock {
  return {
    supplierSku: part.partId,
    available: part.available,
    status: part.status,
    cost,
    leadTimeDays: part.leadTimeDays,
    asOf: part.asOf ?? readAt,
    ...(part.incoming.length > 0 ? { incoming: part.incoming } : {}),
  };
}

// ---- Product Data 2.0.0 ----

export interface SellablePart {
  readonly productId: string;
  readonly partId: string;
}

export function mapSellable(response: Rec): SellablePart[] {
  return recs(rec(response['ProductSellableArray'], 'ProductSellableArray')['ProductSellable'], 'ProductSellable').flatMap((row, i) => {
    const partId = optionalId(row['partId'], `ProductSellable[${i}].partId`);
    // A product listed without parts is sellable as a whole; harborpromo always lists parts, the SKU we order.
    return partId ? [{ productId: requiredId(row['productId'], `ProductSellable[${i}].productId`), partId }] : [];
  });
}

/**
 * The unit cost for a single unit: the price at the lowest quantity break of the "Net" price group (the first
 * group when none is called Net). Product Data prices are per product, so every part of it shares them.
 */
export function unitCostOf(response: Rec): Money | null {
  const product = rec(response['Product'], 'Product');
  const groups = recs(rec(product['ProductPriceGroupArray'], 'ProductPriceGroupArray')['ProductPriceGroup'], 'ProductPriceGroup');
  const group = groups.find((g) => asText(g['groupName'], 'groupName') === 'Net') ?? groups[0];
  if (!group) return null;
  const currency = requireText(group['currency'], 'ProductPriceGroup.currency');
  // The currency is the supplier's text: the message names the field only.
  if (!/^[A-Z]{3}$/.test(currency)) throw new RegistryError('CONTRACT_VIOLATION', 'supplier response: ProductPriceGroup.currency is not ISO 4217', { details: { reason: 'unknown-currency', field: 'ProductPriceGroup.currency' } });
  const prices = recs(rec(group['ProductPriceArray'], 'ProductPriceArray')['ProductPrice'], 'ProductPrice')
    .map((p, i) => {
      const field = `ProductPrice[${i}]`;
      const min = asInt(numberText(p['quantityMin'], `${field}.quantityMin`), `${field}.quantityMin`);
      return { min: min === undefined ? 1 : checkQuantity(min, SOURCE, `${field}.quantityMin`), price: priceOf(p['price'], `${field}.price`) };
    })
    .filter((p): p is { min: number; price: string } => p.price !== undefined)
    .sort((a, b) => a.min - b.min);
  return prices[0] ? { amount: prices[0].price, currency } : null;
}

/**
 * An xsd:decimal price, length and precision checked first and in one linear pass (adapters/core/supplier-ranges.ts):
 * at most 32 characters, not negative, at most 6 significant decimals (refused, never rounded). Served like every
 * other supplier's amount (canonicalAmount: at least two decimals, "12.5" → "12.50", "1.0000" → "1.00"), so one
 * graph never writes the same value two ways depending on who supplies it.
 */
function priceOf(value: Raw, field: string): string | undefined {
  if (typeof value === 'string' && value.length > SUPPLIER_RANGES.maxPriceChars) throw rangeViolation(SOURCE, field, 'price-too-long');
  const written = asText(value, field)?.trim();
  if (written === undefined || written === '') return undefined;
  return canonicalAmount(checkPrice(written, SOURCE, field, { sign: true, bareDot: true }));
}

const marketingPoints = (product: Rec, pointType: string): string[] =>
  recs(rec(product['ProductMarketingPointArray'], 'ProductMarketingPointArray')['ProductMarketingPoint'], 'ProductMarketingPoint')
    .filter((p) => asText(p['pointType'], 'pointType') === pointType)
    .map((p) => asText(p['pointCopy'], 'pointCopy')?.trim() ?? '')
    .filter((copy) => copy !== '');

/** A manufacturer or MPN is a matching key (a canonical SKU is built from it): bounded like an identifier. */
const matchingKey = (value: string | null, field: string): string | null => (value === null ? null : checkIdentifier(value, SOURCE, field));

/**
 * A part's MPN from "Manufacturer Part Number" marketing points: "<partId>: <mpn>" names the part; a bare copy is
 * the product's MPN, used only when the product has a single part (a style number is no part's MPN).
 */
function mpnOf(points: readonly string[], partId: string, partCount: number): string | null {
  const prefix = `${partId}:`;
  const own = points.find((p) => p.startsWith(prefix));
  if (own !== undefined) return own.slice(prefix.length).trim() || null;
  const bare = points.filter((p) => !/^\S+:\s/.test(p));
  return partCount === 1 && bare.length === 1 ? bare[0]! : null;
}

/** An image URL we pass on: absolute http(s) and of sane length; anything else is left out, not guessed at. */
export function imageOf(url: string | undefined, alt: string | null): ProductImage[] {
  const trimmed = url?.trim();
  return trimmed && trimmed.length <= 2048 && /^https?:\/\/[^\s]+$/i.test(trimmed) ? [{ url: trimmed, alt }] : [];
}

/** Each ProductCategory's category and subCategory (a storefront filters by either), without duplicates. */
function categoriesOf(product: Rec): string[] {
  const out: string[] = [];
  for (const row of recs(rec(product['ProductCategoryArray'], 'ProductCategoryArray')['ProductCategory'], 'ProductCategory')) {
    for (const field of ['category', 'subCategory']) {
      const value = asText(row[field], `ProductCategory.${field}`)?.trim();
      if (value && !out.includes(value)) out.push(value);
    }
  }
  return out;
}

/**
 * A part's options: Color from its primaryColor (else its first ColorArray colour; colorName, else
 * standardColorName), Size from its ApparelSize labelSize (custom sizes: customSize). A part with neither has none.
 */
function partOptions(part: Rec, field: string): ProductOption[] {
  const colours = [rec(part['primaryColor'], `${field}.primaryColor`)['Color'], ...asArray(rec(part['ColorArray'], `${field}.ColorArray`)['Color'])];
  const colour = colours
    .map((c) => rec(c, `${field}.Color`))
    .map((c) => asText(c['colorName'], `${field}.Color.colorName`)?.trim() || asText(c['standardColorName'], `${field}.Color.standardColorName`)?.trim())
    .find((name) => !!name);
  const apparel = rec(part['ApparelSize'], `${field}.ApparelSize`);
  const label = asText(apparel['labelSize'], `${field}.ApparelSize.labelSize`)?.trim();
  const size = label === 'CUSTOM' ? asText(apparel['customSize'], `${field}.ApparelSize.customSize`)?.trim() : label;
  return [...(colour ? [{ name: 'Color', value: colour }] : []), ...(size ? [{ name: 'Size', value: size }] : [])];
}

/**
 * One catalog item per ProductPart. Product Data 2.0.0 has no manufacturer or MPN field; harborpromo publishes
 * them as marketing points typed "Manufacturer" and "Manufacturer Part Number" (its documented convention; one
 * MPN point per part, "<partId>: <mpn>", when a product has several parts).
 */
export function mapProduct(response: Rec): CatalogItem[] {
  const product = rec(response['Product'], 'Product');
  const productName = requireText(product['productName'], 'productName');
  const descriptions = asArray(product['description']).map((d) => asText(d, 'description')).filter((d): d is string => !!d);
  const brand = asText(product['productBrand'], 'productBrand') ?? null;
  const parts = recs(rec(product['ProductPartArray'], 'ProductPartArray')['ProductPart'], 'ProductPart');
  const manufacturer = matchingKey(marketingPoints(product, 'Manufacturer')[0] ?? null, 'ProductMarketingPoint(Manufacturer).pointCopy');
  const mpnPoints = marketingPoints(product, 'Manufacturer Part Number');
  // The PromoStandards product is the family (style), its parts the variants; Product Data 2.0.0 has images only per
  // product (primaryImageUrl; part images live in the Media Content service), so parts carry none of their own.
  const categories = categoriesOf(product);
  const family: SupplierFamily = {
    id: requiredId(product['productId'], 'Product.productId'),
    name: productName,
    brand,
    categories,
    images: imageOf(asText(product['primaryImageUrl'], 'primaryImageUrl'), productName),
  };
  return parts.map((part, p) => {
    const partTitle = asArray(part['description']).map((d) => asText(d, 'ProductPart.description')).find((d) => !!d);
    const partId = requiredId(part['partId'], `ProductPart[${p}].partId`);
    return {
      supplierSku: partId,
      title: partTitle ?? productName,
      brand,
      gtin: normalizeGtin(asText(part['gtin'], 'gtin')),
      manufacturer,
      mpn: matchingKey(mpnOf(mpnPoints, partId, parts.length), 'ProductMarketingPoint(Manufacturer Part Number).pointCopy'),
      description: descriptions.length > 0 ? descriptions.join('\n') : null,
      family,
      options: partOptions(part, `ProductPart[${p}]`),
      images: [],
      categories,
    };
  });
}

// ---- Order Status 2.0.0 ----

const HOLD_CATEGORIES = new Set(['orderEntryHold', 'generalHold', 'creditHold', 'proofHold', 'artHold', 'shippingHold', 'customerSuppliedItemHold']);
const OPEN_STATUSES = new Set(['received', 'confirmed', 'preproduction', 'inProduction', 'inStorage']);

/** One Order Status 2.0.0 status (with its hold, if any) in canonical terms; see docs/suppliers/promostandards.md. */
export function canonicalStatus(status: string, issueCategory: string | null): CanonicalOrderStatus {
  if (OPEN_STATUSES.has(status)) {
    if (issueCategory === 'backOrderHold') return 'backordered';
    if (issueCategory && HOLD_CATEGORIES.has(issueCategory)) return 'on_hold';
    return status === 'received' ? 'submitted' : 'accepted';
  }
  switch (status) {
    case 'partiallyShipped':
      return 'partially_shipped';
    case 'shipped':
      return 'shipped';
    case 'complete':
      return 'delivered';
    case 'canceled':
      return 'cancelled';
  }
  throw new RegistryError('CONTRACT_VIOLATION', 'status is not in the Order Status 2.0.0 vocabulary', { details: { reason: 'unknown-status', status: cleanSupplierText(status, 60) } });
}

/** Several sales orders under one PO: the PO is as far as its least advanced live part, shipped ones excepted. */
export function combineStatuses(statuses: readonly CanonicalOrderStatus[]): CanonicalOrderStatus {
  const live = statuses.filter((s) => s !== 'cancelled');
  if (live.length === 0) return 'cancelled';
  const shippedLike = (s: CanonicalOrderStatus) => s === 'shipped' || s === 'delivered';
  if (live.every((s) => s === 'delivered')) return 'delivered';
  if (live.every(shippedLike)) return 'shipped';
  if (live.some((s) => s === 'partially_shipped' || shippedLike(s))) return 'partially_shipped';
  for (const s of ['on_hold', 'backordered', 'submitted'] as const) if (live.includes(s)) return s;
  return 'accepted';
}

export interface MappedOrderStatus {
  readonly status: CanonicalOrderStatus;
  readonly rawStatus: string;
  readonly salesOrderNumbers: readonly string[];
  readonly lines: readonly SupplierOrderLineStatus[];
  readonly updatedAt: string;
  /** True when some unit has shipped, so the Order Shipment Notification service has something to tell. */
  readonly anyShipped: boolean;
}

/** The OrderStatus for one PO, or null when the answer holds none. */
export function mapOrderStatus(response: Rec, purchaseOrderNumber: string): MappedOrderStatus | null {
  const orders = recs(rec(response['OrderStatusArray'], 'OrderStatusArray')['OrderStatus'], 'OrderStatus');
  const order = orders.find((o) => asText(o['purchaseOrderNumber'], 'purchaseOrderNumber') === purchaseOrderNumber);
  if (!order) return null;
  const details = recs(rec(order['OrderStatusDetailArray'], 'OrderStatusDetailArray')['OrderStatusDetail'], 'OrderStatusDetail');
  if (details.length === 0) throw new RegistryError('CONTRACT_VIOLATION', `OrderStatus ${purchaseOrderNumber} has no OrderStatusDetail`);
  const lines = new Map<string, { ordered: number; shipped: number; backordered: number; cancelled: number; statuses: CanonicalOrderStatus[] }>();
  const raw: string[] = [];
  const canonical: CanonicalOrderStatus[] = [];
  let updatedAt = 0;
  for (const [d, detail] of details.entries()) {
    const status = requireText(detail['status'], 'OrderStatusDetail.status');
    const issue = asText(detail['issueCategory'], 'issueCategory') ?? null;
    raw.push(issue ? `${status}/${issue}` : status);
    canonical.push(canonicalStatus(status, issue));
    updatedAt = Math.max(updatedAt, Date.parse(date(detail['validTimestamp'], `OrderStatusDetail[${d}].validTimestamp`) ?? '') || 0);
    // Each line by its own figures: its status (required per Product), its own issueCategory, its quantities. A line
    // the supplier did not flag is not backordered because another line of the sales order is.
    for (const [p, product] of recs(rec(detail['ProductArray'], 'ProductArray')['Product'], 'Product').entries()) {
      const field = `OrderStatusDetail[${d}].Product[${p}]`;
      const sku = optionalId(product['partId'], `${field}.partId`) ?? requiredId(product['productId'], `${field}.productId`);
      const lineStatus = requireText(product['status'], 'Product.status');
      const lineIssue = asText(product['issueCategory'], 'Product.issueCategory') ?? null;
      const lineCanonical = canonicalStatus(lineStatus, lineIssue);
      const ordered = quantityInEaches(product['QuantityOrdered'], 'QuantityOrdered');
      const reportedShipped = product['QuantityShipped'] === undefined ? undefined : quantityInEaches(product['QuantityShipped'], 'QuantityShipped');
      // A line reported shipped (or complete) without a shipped quantity has shipped in full.
      const shipped = Math.min(ordered, reportedShipped ?? (lineCanonical === 'shipped' || lineCanonical === 'delivered' ? ordered : 0));
      const open = Math.max(0, ordered - shipped);
      const line = lines.get(sku) ?? { ordered: 0, shipped: 0, backordered: 0, cancelled: 0, statuses: [] };
      line.ordered = total(line.ordered + ordered, `${field}.QuantityOrdered`);
      line.shipped += shipped;
      if (lineCanonical === 'cancelled') line.cancelled += open;
      else if (lineIssue === 'backOrderHold') line.backordered += open;
      line.statuses.push(lineCanonical);
      lines.set(sku, line);
    }
  }
  const lineList: SupplierOrderLineStatus[] = [...lines].map(([supplierSku, { statuses, ...l }]) => ({ supplierSku, status: combineStatuses(statuses), ...l }));
  const status = combineStatuses(canonical);
  return {
    status,
    rawStatus: [...new Set(raw)].join(','),
    salesOrderNumbers: details.map((d, i) => requiredId(d['salesOrderNumber'], `OrderStatusDetail[${i}].salesOrderNumber`)),
    lines: lineList,
    updatedAt: new Date(updatedAt || Date.now()).toISOString(),
    anyShipped: lineList.some((l) => l.shipped > 0) || ['partially_shipped', 'shipped', 'delivered'].includes(status),
  };
}

// ---- Order Shipment Notification 2.0.0 ----

/** One Shipment per package: a package is what carries a tracking number. */
export function mapShipments(response: Rec): Shipment[] {
  const shipments: Shipment[] = [];
  const notifications = recs(rec(response['OrderShipmentNotificationArray'], 'OrderShipmentNotificationArray')['OrderShipmentNotification'], 'OrderShipmentNotification');
  for (const osn of notifications) {
    for (const salesOrder of recs(rec(osn['SalesOrderArray'], 'SalesOrderArray')['SalesOrder'], 'SalesOrder')) {
      for (const shipment of recs(rec(salesOrder['ShipmentArray'], 'ShipmentArray')['Shipment'], 'Shipment')) {
        for (const pkg of recs(rec(shipment['PackageArray'], 'PackageArray')['Package'], 'Package')) {
          const freight = rec(pkg['FreightDetails'], 'FreightDetails');
          const field = `Package[${shipments.length}]`;
          shipments.push({
            carrier: optionalId(freight['carrier'], `${field}.FreightDetails.carrier`) ?? 'unknown',
            trackingNumber: optionalId(pkg['trackingNumber'], `${field}.trackingNumber`) ?? '',
            shippedAt: date(pkg['shipmentDate'], `${field}.shipmentDate`) ?? null,
            lines: recs(rec(pkg['ItemArray'], 'ItemArray')['Item'], 'Item').map((item, i) => ({
              supplierSku: optionalId(item['supplierPartId'], `${field}.Item[${i}].supplierPartId`) ?? requiredId(item['supplierProductId'], `${field}.Item[${i}].supplierProductId`),
              quantity: quantityInEaches(item['Quantity'], 'Item.Quantity'),
            })),
          });
        }
      }
    }
  }
  return shipments;
}
