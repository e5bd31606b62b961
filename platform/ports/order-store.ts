import type { CanonicalOrderStatus, Money } from '../../kernel/model.ts';

/**
 * Port: canonical orders, their supplier sub-orders and the workflow state that lets a restarted process resume
 * (docs/orders.md). The fields added for placement are optional so records written before them still read.
 */

export interface OrderLineRecord {
  readonly lineNumber: number;
  readonly sku: string;
  readonly quantity: number;
  readonly supplier: string | null;
  readonly supplierSku: string | null;
  readonly status: CanonicalOrderStatus;
  readonly unitCost: Money | null;
  /** How the line is split over suppliers, with the routing reason for each part. */
  readonly allocations?: readonly LineAllocation[];
  /** Why the line could not be placed (every candidate supplier refused it); null when fine. */
  readonly needsAttention?: string | null;
  /** Suppliers that refused the line: routing skips them. */
  readonly refusedBy?: readonly string[];
  /** Units the suppliers report shipped, from their per-line figures (workflow/refresh.ts); absent on older records: 0. */
  readonly shipped?: number;
  /** Units the suppliers flag backordered on this line (per-line figures only); absent on older records: 0. */
  readonly backordered?: number;
}

export interface LineAllocation {
  readonly supplier: string;
  readonly supplierSku: string;
  readonly quantity: number;
  readonly unitCost: Money | null;
  readonly reason: string;
  /** The sub-order carrying this part. */
  readonly subOrderId: string;
}

/**
 * Where a sub-order is in the placement workflow; each state is stored before the effect that follows it, so a
 * resumed run knows what may already have happened (an outbox, docs/orders.md).
 */
export type SubOrderState = 'planned' | 'reserved' | 'submitting' | 'submitted' | 'failed' | 'cancelled';

export interface SubOrderLine {
  readonly lineNumber: number;
  readonly sku: string;
  readonly supplierSku: string;
  readonly quantity: number;
  readonly unitCost: Money | null;
}

export interface SubOrderRecord {
  /** `<orderId>-<supplier>[-n]`; also the supplier idempotency key and the reservation's idempotency key. */
  readonly id: string;
  readonly supplier: string;
  readonly idempotencyKey: string;
  readonly lines: readonly SubOrderLine[];
  readonly state: SubOrderState;
  readonly reservationId: string | null;
  readonly supplierOrderId: string | null;
  /** Canonical supplier status once submitted. */
  readonly status: CanonicalOrderStatus | null;
  /** The supplier's own status word. */
  readonly rawStatus: string | null;
  readonly lineStatus: readonly { readonly supplierSku: string; readonly shipped: number; readonly backordered: number; readonly cancelled: number }[];
  readonly attempts: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
}

/** Customer personal data, each field sealed on its own (platform/secrets/envelope.ts). */
export type SealedCustomer = Readonly<Record<string, { readonly kekId: string; readonly ciphertext: string } | null>>;

/** `placing`: the workflow still has work; `tracking`: every sub-order is settled, some still move; `closed`: done. */
export type OrderWorkflow = 'placing' | 'tracking' | 'closed';

export interface ReturnRequestRecord {
  readonly id: string;
  readonly lineNumber: number;
  readonly quantity: number;
  readonly reason: string;
  readonly status: 'requested' | 'approved' | 'received' | 'refunded' | 'rejected';
  readonly createdAt: string;
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
  /**
   * Grows by one with every stored change (1 when placed; `save` stores the copy's version + 1, set by the order
   * workflow's save path), so two changes within one millisecond still differ. Events carry it; clients drop an
   * event not newer than one they hold. Records stored before the counter read as the epoch ms of `updatedAt`, so
   * the version an order had in events before the counter still orders below the next one. `save` is last writer
   * wins: two processes saving copies of the same version both store version + 1 (docs/subscriptions.md).
   */
  readonly version: number;
  /** Hash of the placement request: the same key with another payload is refused. */
  readonly requestHash?: string;
  readonly customer?: SealedCustomer | null;
  readonly subOrders?: readonly SubOrderRecord[];
  readonly workflow?: OrderWorkflow;
  readonly returns?: readonly ReturnRequestRecord[];
  /** The only suppliers the placing caller may order from (docs/security.md); re-routes stay inside. Absent: any. */
  readonly allowedSuppliers?: readonly string[];
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

/** How a supplier names one of our sub-orders: its own order id, our key on it, or both. */
export interface SupplierOrderRef {
  readonly supplierOrderId: string | null;
  readonly reference: string | null;
}

/** The sub-order of `order` at `supplier` that `ref` names (supplier order id first), if any. */
export function subOrderByRef(order: OrderRecord, supplier: string, ref: SupplierOrderRef): SubOrderRecord | undefined {
  const subs = (order.subOrders ?? []).filter((s) => s.supplier === supplier && s.state !== 'failed');
  return (
    (ref.supplierOrderId === null ? undefined : subs.find((s) => s.supplierOrderId === ref.supplierOrderId)) ??
    (ref.reference === null ? undefined : subs.find((s) => s.idempotencyKey === ref.reference))
  );
}

/** Sub-order states with work left: a `lastError` on one means a send went unanswered and the order waits for a retry. */
export const PENDING_SUB_ORDER_STATES: readonly SubOrderState[] = ['planned', 'reserved', 'submitting'];

/**
 * Whether an order needs a person (the operator console's list, `ordersNeedingAttention`): not cancelled, and a line
 * no supplier would take (`needsAttention`), or a sub-order with work left whose last attempt failed (`lastError`).
 * Both stores select by this rule; the MongoDB store as a query, so the two must change together.
 */
export function orderNeedsAttention(order: OrderRecord): boolean {
  if (order.status === 'cancelled') return false;
  return (
    order.lines.some((l) => typeof l.needsAttention === 'string') ||
    (order.subOrders ?? []).some((s) => PENDING_SUB_ORDER_STATES.includes(s.state) && typeof s.lastError === 'string')
  );
}

export interface OrderStore {
  /** Null when absent or owned by another tenant. */
  get(tenant: string, id: string): Promise<OrderRecord | null>;
  /** Newest first, stable by (createdAt, id). `first` is 1..200. */
  list(filter: OrderFilter, first: number, after: string | null): Promise<OrderPage>;
  /** The tenant's order placed under this client idempotency key, or null. */
  getByIdempotencyKey(tenant: string, idempotencyKey: string): Promise<OrderRecord | null>;
  /** `{ inserted: false, existing }` when the tenant already has an order under that idempotency key. */
  insert(order: OrderRecord): Promise<{ inserted: true } | { inserted: false; existing: OrderRecord }>;
  /**
   * Replaces a stored order (same tenant and id). Last writer wins: the order service serialises writes to one
   * order within a process, and every workflow step is idempotent, so a concurrent writer in another process
   * can only repeat work, never double it (docs/orders.md).
   */
  save(order: OrderRecord): Promise<void>;
  /**
   * Orders in a workflow state across tenants, oldest first by (createdAt, tenant, id), a page at a time: pass the
   * previous page's `nextCursor` to go on (keyset paging, so orders added or leaving the state meanwhile never make a
   * page skip another order). The resume and tracking loops walk every open order this way. `first` is 1..500.
   */
  listByWorkflow(workflow: OrderWorkflow, first: number, after?: string | null): Promise<OrderPage>;
  /**
   * Orders that need a person (orderNeedsAttention), most recently changed first, across tenants or of one tenant.
   * `first` is 1..200. For operators; not on any request path of partners.
   */
  listNeedingAttention(first: number, tenant?: string): Promise<readonly OrderRecord[]>;
  /**
   * The order (any tenant) with a sub-order at `supplier` carrying this supplier order id, else one carrying this
   * sub-order idempotency key (`reference`: what we sent the supplier as our order number); null when none. For
   * supplier webhooks, which name an order by either.
   */
  findBySupplierRef(supplier: string, ref: SupplierOrderRef): Promise<OrderRecord | null>;
  clear(): Promise<void>;
}
