import type { CanonicalOrderStatus, Money } from '../../adapters/core/model.ts';

/** Port: canonical orders. Placing orders is a later issue; this issue stores and reads them. */

export interface OrderLineRecord {
  readonly lineNumber: number;
  readonly sku: string;
  readonly quantity: number;
  readonly supplier: string | null;
  readonly supplierSku: string | null;
  readonly status: CanonicalOrderStatus;
  readonly unitCost: Money | null;
}

export interface ShipmentRecord {
  readonly supplier: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly shippedAt: string | null;
  readonly lines: readonly { readonly lineNumber: number; readonly quantity: number }[];
}

export interface OrderRecord {
  readonly id: string;
  readonly tenant: string;
  /** Client idempotency key; unique per tenant. */
  readonly idempotencyKey: string;
  readonly status: CanonicalOrderStatus;
  readonly lines: readonly OrderLineRecord[];
  readonly shipments: readonly ShipmentRecord[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OrderFilter {
  readonly tenant: string;
  readonly status?: CanonicalOrderStatus;
  readonly createdAfter?: string;
  readonly createdBefore?: string;
}

export interface OrderPage {
  readonly items: readonly OrderRecord[];
  readonly nextCursor: string | null;
}

export interface OrderStore {
  /** Null when absent or owned by another tenant. */
  get(tenant: string, id: string): Promise<OrderRecord | null>;
  /** Newest first, stable by (createdAt, id). `first` is 1..200. */
  list(filter: OrderFilter, first: number, after: string | null): Promise<OrderPage>;
  /** `{ inserted: false, existing }` when the tenant already has an order under that idempotency key. */
  insert(order: OrderRecord): Promise<{ inserted: true } | { inserted: false; existing: OrderRecord }>;
  clear(): Promise<void>;
}
