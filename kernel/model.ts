/**
 * The canonical model every supplier is mapped into. Supplier vocabularies (SKU formats, status words,
 * quantity units) never leak past a supplier's mapping module.
 */

/** Money as a decimal string ("12.50") so no float ever touches a price. */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export type StockStatus = 'in_stock' | 'low_stock' | 'out_of_stock' | 'backordered' | 'discontinued';

/** One supplier's live offer for one of its SKUs. */
export interface SupplierStock {
  readonly supplierSku: string;
  /** Units the supplier can ship now, summed over its warehouses; never negative. */
  readonly available: number;
  readonly status: StockStatus;
  readonly cost: Money | null;
  readonly leadTimeDays: number | null;
  /** The supplier's own timestamp for this figure (ISO 8601), or when we read it if it gives none. */
  readonly asOf: string;
  /**
   * Stock on its way, by the date the supplier expects it available (ISO 8601), summed over warehouses; absent when
   * the supplier tells nothing (e.g. PromoStandards Inventory 2.0.0 FutureAvailability). Not part of `available`.
   */
  readonly incoming?: readonly IncomingStock[];
}

export interface IncomingStock {
  readonly quantity: number;
  readonly availableOn: string;
}

/** One item of a supplier catalog, with the identifiers used to match it to canonical products. */
export interface CatalogItem {
  readonly supplierSku: string;
  readonly title: string;
  readonly brand: string | null;
  /** GTIN-14, normalised from UPC-A / EAN-13 / GTIN-14 (digits only, left-padded with zeros). */
  readonly gtin: string | null;
  readonly manufacturer: string | null;
  /** Manufacturer part number, as printed by the manufacturer. */
  readonly mpn: string | null;
  readonly description: string | null;
  /** The supplier's own grouping this item is a variant of (PromoStandards product, a style, a Shopify product); absent when it gives none. */
  readonly family?: SupplierFamily | null;
  /** What sets this variant apart within its family, e.g. Color = Navy, Size = L; canonical names (Color, Size) where known. */
  readonly options?: readonly ProductOption[];
  /** The variant's own images, best first; absent or empty when the supplier has none for it. */
  readonly images?: readonly ProductImage[];
  /** The supplier's categories for this item (a family's categories apply to each of its variants). */
  readonly categories?: readonly string[];
}

/** One name/value option of a variant ("Color" = "Navy"). */
export interface ProductOption {
  readonly name: string;
  readonly value: string;
}

export interface ProductImage {
  /** Absolute http(s) URL as the supplier publishes it. */
  readonly url: string;
  readonly alt: string | null;
}

/** A supplier's own family (style) record, as its catalog describes it. */
export interface SupplierFamily {
  /** The supplier's id for the family (PromoStandards productId, Brightline styleNumber, Shopify product gid). */
  readonly id: string;
  readonly name: string;
  readonly brand: string | null;
  readonly categories: readonly string[];
  readonly images: readonly ProductImage[];
}

export interface CatalogPage {
  readonly items: readonly CatalogItem[];
  /** Opaque cursor for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface PostalAddress {
  readonly name: string;
  readonly company?: string | null;
  readonly line1: string;
  readonly line2?: string | null;
  readonly city: string;
  readonly region?: string | null;
  readonly postalCode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly phone?: string | null;
  readonly email?: string | null;
}

export interface SupplierOrderLine {
  readonly lineNumber: number;
  readonly supplierSku: string;
  readonly quantity: number;
  readonly unitCost?: Money | null;
}

export interface SupplierOrder {
  /**
   * Deterministic per (order, supplier); sent as the supplier's natural idempotency key (customer order
   * number, PO number, idempotency header) so a resend never creates a second supplier order.
   */
  readonly idempotencyKey: string;
  readonly lines: readonly SupplierOrderLine[];
  readonly shipTo: PostalAddress;
}

/**
 * The one canonical status machine for a supplier sub-order. `submitting` is ours alone (an order or line whose
 * supplier call has not been acknowledged yet); a connector never reports it.
 */
export type CanonicalOrderStatus =
  | 'submitting'
  | 'submitted'
  | 'accepted'
  | 'on_hold'
  | 'backordered'
  | 'partially_shipped'
  | 'shipped'
  | 'delivered'
  | 'rejected'
  | 'cancel_requested'
  | 'cancelled';

export interface SupplierOrderRef {
  /** The supplier's id for the order, when known. */
  readonly supplierOrderId: string | null;
  /** Our idempotency key / PO number: always known, and enough for suppliers that look orders up by it. */
  readonly idempotencyKey: string;
}

export interface SupplierOrderAck {
  readonly supplierOrderId: string;
  readonly status: CanonicalOrderStatus;
  /** The supplier's own status word, kept for support and audits. */
  readonly rawStatus: string;
  /** True when the supplier already had an order under this key and we read it back. */
  readonly alreadyExisted: boolean;
}

export interface ShipmentLine {
  readonly supplierSku: string;
  readonly quantity: number;
}

export interface Shipment {
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly shippedAt: string | null;
  readonly lines: readonly ShipmentLine[];
}

export interface SupplierOrderLineStatus {
  readonly supplierSku: string;
  /** The supplier's own status for this line, when it reports one per line (else the order's status applies). */
  readonly status?: CanonicalOrderStatus;
  readonly ordered: number;
  readonly shipped: number;
  readonly backordered: number;
  readonly cancelled: number;
}

export interface SupplierOrderStatus {
  readonly supplierOrderId: string;
  readonly status: CanonicalOrderStatus;
  readonly rawStatus: string;
  readonly lines: readonly SupplierOrderLineStatus[];
  readonly shipments: readonly Shipment[];
  readonly updatedAt: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly detail: string | null;
}
