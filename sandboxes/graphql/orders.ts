/**
 * maplecart's order book: Shopify-style orders with one fulfillment order each, holds, fulfillments with
 * tracking, cancellation with restock, and inventory commitments. Every change is reported through `emit`
 * so the sandbox can send the matching webhook.
 */
import { LOCATIONS, type SandboxLevel, type SandboxVariant, type World } from './world.ts';

export interface SandboxUserError {
  readonly field: readonly string[] | null;
  readonly message: string;
  readonly code: string | null;
}

export interface SandboxLineItem {
  readonly id: number;
  readonly variant: SandboxVariant;
  readonly quantity: number;
  currentQuantity: number;
  fulfilled: number;
  /** Units taken from each location when the order decremented inventory; empty under BYPASS. */
  readonly allocations: { level: SandboxLevel; quantity: number }[];
}

export interface SandboxFulfillment {
  readonly id: number;
  readonly name: string;
  readonly status: 'SUCCESS';
  displayStatus: 'IN_TRANSIT' | 'DELIVERED';
  readonly createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
  readonly tracking: { readonly company: string; readonly number: string; readonly url: string };
  readonly lines: readonly { readonly id: number; readonly lineItem: SandboxLineItem; readonly quantity: number }[];
}

export type HoldReason = 'INVENTORY_OUT_OF_STOCK' | 'OTHER';

export interface SandboxOrder {
  readonly id: number;
  readonly name: string;
  readonly sourceIdentifier: string | null;
  readonly email: string | null;
  readonly createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  restocked: boolean;
  readonly shippingAddress: Readonly<Record<string, unknown>> | null;
  readonly lineItems: SandboxLineItem[];
  readonly fulfillments: SandboxFulfillment[];
  readonly fulfillmentOrder: {
    readonly id: number;
    requestStatus: 'SUBMITTED' | 'ACCEPTED' | 'REJECTED' | 'CLOSED';
    holds: { reason: HoldReason; reasonNotes: string | null }[];
    updatedAt: string;
  };
}

export type OrderEvent =
  | { readonly type: 'order'; readonly order: SandboxOrder }
  | { readonly type: 'fulfillment'; readonly order: SandboxOrder; readonly fulfillment: SandboxFulfillment }
  | { readonly type: 'inventory'; readonly variant: SandboxVariant; readonly level: SandboxLevel };

export interface OrderCreateInput {
  readonly sourceIdentifier?: string | null;
  readonly email?: string | null;
  readonly lineItems?: readonly { variantId?: string | null; sku?: string | null; quantity: number }[] | null;
  readonly shippingAddress?: Readonly<Record<string, unknown>> | null;
}

export type InventoryBehaviour = 'BYPASS' | 'DECREMENT_IGNORING_POLICY' | 'DECREMENT_OBEYING_POLICY';
export type AdvanceTarget = 'accepted' | 'partially_shipped' | 'shipped' | 'delivered' | 'backordered' | 'on_hold' | 'rejected';

const isoNow = (): string => new Date().toISOString();

/** Shopify's displayFulfillmentStatus, derived from the order's state as Shopify derives it. */
export function displayFulfillmentStatus(order: SandboxOrder): string {
  const fulfilled = order.lineItems.reduce((n, l) => n + l.fulfilled, 0);
  const current = order.lineItems.reduce((n, l) => n + l.currentQuantity, 0);
  if (order.cancelledAt) return fulfilled > 0 ? 'PARTIALLY_FULFILLED' : order.restocked ? 'RESTOCKED' : 'UNFULFILLED';
  if (order.fulfillmentOrder.requestStatus === 'REJECTED') return 'REQUEST_DECLINED';
  if (current > 0 && fulfilled >= current) return 'FULFILLED';
  if (fulfilled > 0) return 'PARTIALLY_FULFILLED';
  if (order.fulfillmentOrder.holds.length > 0) return 'ON_HOLD';
  if (order.fulfillmentOrder.requestStatus === 'ACCEPTED') return 'IN_PROGRESS';
  return 'UNFULFILLED';
}

export function fulfillmentOrderStatus(order: SandboxOrder): string {
  if (order.cancelledAt) return 'CANCELLED';
  if (order.lineItems.every((l) => l.fulfilled >= l.currentQuantity)) return 'CLOSED';
  if (order.fulfillmentOrder.holds.length > 0) return 'ON_HOLD';
  return order.fulfillmentOrder.requestStatus === 'ACCEPTED' || order.fulfillments.length > 0 ? 'IN_PROGRESS' : 'OPEN';
}

export interface OrderBook {
  all(): readonly SandboxOrder[];
  get(id: number): SandboxOrder | undefined;
  create(input: OrderCreateInput, behaviour: InventoryBehaviour, idempotencyKey: string | null): { order: SandboxOrder | null; userErrors: SandboxUserError[]; replayed: boolean };
  /**
   * Drops the replay record of an idempotency key, as when the answer it would replay was never produced (a lost
   * acknowledgement) or its retention ran out: a repeat then meets the sourceIdentifier guard (userError TAKEN).
   */
  forgetReplay(idempotencyKey: string): void;
  cancel(id: number, options: { reason: string; restock: boolean }): SandboxUserError[];
  advance(id: number, to: AdvanceTarget): void;
}

export function createOrderBook(world: World, emit: (event: OrderEvent) => void): OrderBook {
  const orders: SandboxOrder[] = [];
  const byId = new Map<number, SandboxOrder>();
  const replays = new Map<string, { fingerprint: string; orderId: number }>();
  let seq = 0;

  const nextId = (base: number): number => base + ++seq;
  const lineError = (i: number, field: string, message: string, code: string): SandboxUserError => ({
    field: ['order', 'lineItems', String(i), field],
    message,
    code,
  });

  function resolveLines(input: OrderCreateInput): { lines: { variant: SandboxVariant; quantity: number }[]; errors: SandboxUserError[] } {
    const errors: SandboxUserError[] = [];
    const lines: { variant: SandboxVariant; quantity: number }[] = [];
    const items = input.lineItems ?? [];
    if (items.length === 0) errors.push({ field: ['order', 'lineItems'], message: 'Line items must have at least one line item', code: 'INVALID' });
    items.forEach((item, i) => {
      const variantId = item.variantId ? Number(/\/ProductVariant\/(\d+)$/.exec(item.variantId)?.[1]) : NaN;
      const variant = Number.isFinite(variantId) ? world.byId(variantId) : item.sku ? world.bySku(item.sku) : undefined;
      if (!variant) errors.push(lineError(i, item.variantId ? 'variantId' : 'sku', `Product variant ${item.variantId ?? item.sku ?? '(none)'} does not exist`, 'PRODUCT_VARIANT_NOT_FOUND'));
      else if (!Number.isInteger(item.quantity) || item.quantity < 1) errors.push(lineError(i, 'quantity', 'Quantity must be greater than 0', 'INVALID'));
      else lines.push({ variant, quantity: item.quantity });
    });
    return { lines, errors };
  }

  /** Takes units from the warehouses in order; a variant that keeps selling may go negative at the first. */
  function allocate(variant: SandboxVariant, quantity: number, mayOversell: boolean, now: string): { level: SandboxLevel; quantity: number }[] {
    const taken: { level: SandboxLevel; quantity: number }[] = [];
    let remaining = quantity;
    for (const level of variant.levels) {
      const take = Math.min(remaining, Math.max(0, level.available));
      if (take > 0) taken.push({ level, quantity: take });
      remaining -= take;
    }
    if (remaining > 0 && mayOversell) taken.push({ level: variant.levels[0]!, quantity: remaining });
    for (const t of taken) {
      t.level.available -= t.quantity;
      t.level.committed += t.quantity;
      t.level.updatedAt = now;
      emit({ type: 'inventory', variant, level: t.level });
    }
    variant.updatedAt = now;
    return taken;
  }

  function create(input: OrderCreateInput, behaviour: InventoryBehaviour, idempotencyKey: string | null) {
    const fingerprint = JSON.stringify({ input, behaviour });
    if (idempotencyKey !== null) {
      const seen = replays.get(idempotencyKey);
      if (seen && seen.fingerprint !== fingerprint) {
        return { order: null, replayed: false, userErrors: [{ field: null, message: 'The same idempotency key cannot be used with different operation parameters.', code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }] };
      }
      if (seen) return { order: byId.get(seen.orderId)!, userErrors: [], replayed: true };
    }
    const { lines, errors } = resolveLines(input);
    if (input.sourceIdentifier && orders.some((o) => o.sourceIdentifier === input.sourceIdentifier)) {
      errors.push({ field: ['order', 'sourceIdentifier'], message: 'Source identifier has already been taken', code: 'TAKEN' });
    }
    if (behaviour === 'DECREMENT_OBEYING_POLICY') {
      const wanted = new Map<SandboxVariant, number>();
      for (const l of lines) wanted.set(l.variant, (wanted.get(l.variant) ?? 0) + l.quantity);
      for (const [variant, quantity] of wanted) {
        const available = variant.levels.reduce((n, l) => n + l.available, 0);
        if (variant.inventoryPolicy === 'DENY' && available < quantity) {
          errors.push({ field: ['order', 'lineItems'], message: `Not enough inventory for ${variant.sku}: ${Math.max(0, available)} available`, code: 'INVENTORY_NOT_AVAILABLE' });
        }
      }
    }
    if (errors.length > 0) return { order: null, userErrors: errors, replayed: false };

    const now = isoNow();
    const orderSeq = orders.length + 1;
    const order: SandboxOrder = {
      id: 5_900_000_000 + orderSeq,
      name: `#MC${1000 + orderSeq}`,
      sourceIdentifier: input.sourceIdentifier ?? null,
      email: input.email ?? null,
      createdAt: now,
      updatedAt: now,
      cancelledAt: null,
      cancelReason: null,
      restocked: false,
      shippingAddress: input.shippingAddress ?? null,
      lineItems: lines.map((l) => ({
        id: nextId(13_900_000_000),
        variant: l.variant,
        quantity: l.quantity,
        currentQuantity: l.quantity,
        fulfilled: 0,
        allocations: behaviour === 'BYPASS' ? [] : allocate(l.variant, l.quantity, behaviour === 'DECREMENT_IGNORING_POLICY' || l.variant.inventoryPolicy === 'CONTINUE', now),
      })),
      fulfillments: [],
      fulfillmentOrder: { id: 6_900_000_000 + orderSeq, requestStatus: 'SUBMITTED', holds: [], updatedAt: now },
    };
    orders.push(order);
    byId.set(order.id, order);
    if (idempotencyKey !== null) replays.set(idempotencyKey, { fingerprint, orderId: order.id });
    emit({ type: 'order', order });
    return { order, userErrors: [], replayed: false };
  }

  function touch(order: SandboxOrder): void {
    const now = isoNow();
    order.updatedAt = now;
    order.fulfillmentOrder.updatedAt = now;
  }

  function cancel(id: number, options: { reason: string; restock: boolean }): SandboxUserError[] {
    const order = byId.get(id);
    if (!order) return [{ field: ['orderId'], message: 'Order does not exist', code: 'NOT_FOUND' }];
    if (order.cancelledAt) return [{ field: ['orderId'], message: 'Order has already been cancelled', code: 'INVALID' }];
    if (order.lineItems.some((l) => l.fulfilled > 0)) {
      return [{ field: ['orderId'], message: 'Cannot cancel an order that has fulfillments', code: 'INVALID' }];
    }
    const now = isoNow();
    order.cancelledAt = now;
    order.cancelReason = options.reason;
    order.restocked = options.restock;
    for (const line of order.lineItems) {
      line.currentQuantity = 0;
      for (const a of line.allocations.splice(0)) {
        a.level.committed -= a.quantity;
        if (options.restock) a.level.available += a.quantity;
        a.level.updatedAt = now;
        if (options.restock) emit({ type: 'inventory', variant: line.variant, level: a.level });
      }
      // A variant's updatedAt moves with its stock (the connector reads it as the figure's age).
      line.variant.updatedAt = now;
    }
    touch(order);
    emit({ type: 'order', order });
    return [];
  }

  let trackingSeq = 0;
  function fulfil(order: SandboxOrder, quantities: Map<SandboxLineItem, number>): void {
    const now = isoNow();
    const n = ++trackingSeq;
    const ups = n % 2 === 1;
    const number = ups ? `1ZMC7${String(40_000_000_000 + n).padStart(13, '0')}` : String(7_316_000_000_000_000 + n);
    const fulfillment: SandboxFulfillment = {
      id: nextId(4_900_000_000),
      name: `${order.name}-F${order.fulfillments.length + 1}`,
      status: 'SUCCESS',
      displayStatus: 'IN_TRANSIT',
      createdAt: now,
      updatedAt: now,
      deliveredAt: null,
      tracking: ups
        ? { company: 'UPS', number, url: `https://www.ups.com/track?tracknum=${number}` }
        : { company: 'Canada Post', number, url: `https://www.canadapost-postescanada.ca/track-reperage/en#/details/${number}` },
      lines: [...quantities].map(([lineItem, quantity]) => ({ id: nextId(10_900_000_000), lineItem, quantity })),
    };
    for (const [line, quantity] of quantities) {
      line.fulfilled += quantity;
      // Shipping consumes the commitment: on-hand drops, "available" already did at order time.
      let left = quantity;
      for (const a of line.allocations) {
        const used = Math.min(left, a.quantity);
        a.level.committed -= used;
        a.quantity -= used;
        left -= used;
      }
    }
    order.fulfillments.push(fulfillment);
    order.fulfillmentOrder.holds = [];
    touch(order);
    emit({ type: 'fulfillment', order, fulfillment });
    emit({ type: 'order', order });
  }

  function advance(id: number, to: AdvanceTarget): void {
    const order = byId.get(id);
    if (!order) throw new Error(`maplecart sandbox: no order ${id}`);
    if (order.cancelledAt) throw new Error(`maplecart sandbox: order ${id} is cancelled`);
    const open = order.lineItems.filter((l) => l.currentQuantity > l.fulfilled);
    switch (to) {
      case 'accepted':
        order.fulfillmentOrder.requestStatus = 'ACCEPTED';
        order.fulfillmentOrder.holds = [];
        break;
      case 'on_hold':
      case 'backordered':
        order.fulfillmentOrder.holds = [{ reason: to === 'backordered' ? 'INVENTORY_OUT_OF_STOCK' : 'OTHER', reasonNotes: to === 'backordered' ? 'Awaiting stock from mill' : null }];
        break;
      case 'rejected':
        order.fulfillmentOrder.requestStatus = 'REJECTED';
        break;
      case 'partially_shipped': {
        const first = open[0];
        if (!first) throw new Error(`maplecart sandbox: order ${id} has nothing left to ship`);
        const remaining = first.currentQuantity - first.fulfilled;
        const quantity = remaining > 1 ? Math.floor(remaining / 2) : open.length > 1 ? remaining : 0;
        if (quantity === 0) throw new Error(`maplecart sandbox: a single-unit order cannot ship partially`);
        order.fulfillmentOrder.requestStatus = 'ACCEPTED';
        fulfil(order, new Map([[first, quantity]]));
        return;
      }
      case 'shipped':
      case 'delivered': {
        order.fulfillmentOrder.requestStatus = 'ACCEPTED';
        if (open.length > 0) fulfil(order, new Map(open.map((l) => [l, l.currentQuantity - l.fulfilled])));
        if (to === 'delivered') {
          const now = isoNow();
          for (const f of order.fulfillments) Object.assign(f, { displayStatus: 'DELIVERED', deliveredAt: f.deliveredAt ?? now, updatedAt: now });
          touch(order);
          emit({ type: 'order', order });
        }
        return;
      }
    }
    touch(order);
    emit({ type: 'order', order });
  }

  return { all: () => orders, get: (id) => byId.get(id), create, forgetReplay: (key) => void replays.delete(key), cancel, advance };
}

export const locationName = (id: number): string => LOCATIONS.find((l) => l.id === id)?.name ?? 'Unknown';
