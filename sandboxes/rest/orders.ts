/**
 * Brightline's order book: orders keyed by Brightline's order id and by the customer order number (the natural
 * idempotency key), with line quantities split into shipped / backordered / cancelled, and shipments. Placing
 * an order takes stock; what stock cannot cover is backordered. Pure state: the server validates input first.
 */
import { formatPrice4, type Inventory } from './inventory.ts';

export type BrightlineOrderStatus =
  | 'OPEN'
  | 'PROCESSING'
  | 'BACKORDERED'
  | 'PARTIALLY_SHIPPED'
  | 'SHIPPED'
  | 'DELIVERED'
  | 'ON_HOLD'
  | 'CANCELLED'
  | 'REJECTED';

export type AdvanceTarget = 'accepted' | 'partially_shipped' | 'shipped' | 'delivered' | 'backordered' | 'on_hold' | 'rejected';

export interface ShipTo {
  name: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  state: string | null;
  postalCode: string;
  country: string;
  phone: string | null;
  email: string | null;
}

export interface OrderLine {
  lineNumber: number;
  itemNumber: string;
  quantityOrdered: number;
  quantityShipped: number;
  quantityBackordered: number;
  quantityCancelled: number;
  unitPrice: string;
  currency: 'USD';
}

export interface ShipmentRecord {
  shipmentId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  shippedAt: string;
  deliveredAt: string | null;
  lines: { lineNumber: number; itemNumber: string; quantity: number }[];
}

export interface OrderRecord {
  orderId: string;
  customerOrderNumber: string;
  status: BrightlineOrderStatus;
  createdAt: string;
  updatedAt: string;
  shippingMethod: string;
  shipTo: ShipTo;
  lines: OrderLine[];
  shipments: ShipmentRecord[];
}

export interface NewOrder {
  customerOrderNumber: string;
  shippingMethod: string;
  shipTo: ShipTo;
  lines: { lineNumber: number; itemNumber: string; quantity: number }[];
}

export interface StatusChange {
  readonly order: OrderRecord;
  readonly previousStatus: BrightlineOrderStatus;
}

const FINAL: ReadonlySet<BrightlineOrderStatus> = new Set(['CANCELLED', 'REJECTED', 'DELIVERED']);
/** Once anything has left the warehouse Brightline no longer cancels: the customer must refuse or return. */
const NOT_CANCELLABLE: ReadonlySet<BrightlineOrderStatus> = new Set(['PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'REJECTED']);

const CARRIERS = [
  { carrier: 'UPS', service: 'Ground', tracking: (r: () => number) => `1Z${randomChars(r, 6, ALNUM)}03${randomChars(r, 8, DIGITS)}` },
  { carrier: 'FedEx', service: 'Ground', tracking: (r: () => number) => randomChars(r, 12, DIGITS) },
  { carrier: 'USPS', service: 'Priority Mail', tracking: (r: () => number) => `9400${randomChars(r, 18, DIGITS)}` },
] as const;
const DIGITS = '0123456789';
const ALNUM = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const randomChars = (random: () => number, n: number, alphabet: string): string =>
  Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

/** Units of a line still waiting in a warehouse (allocated, not shipped). */
const allocatedOf = (l: OrderLine): number => l.quantityOrdered - l.quantityShipped - l.quantityBackordered - l.quantityCancelled;
const openOf = (l: OrderLine): number => l.quantityOrdered - l.quantityShipped - l.quantityCancelled;

export interface OrderBook {
  all(): readonly OrderRecord[];
  byId(orderId: string): OrderRecord | undefined;
  byCustomerOrderNumber(customerOrderNumber: string): OrderRecord | undefined;
  /** Creates the order, or returns the existing one for a repeated customer order number. */
  create(input: NewOrder): { order: OrderRecord; created: boolean };
  cancel(order: OrderRecord): 'cancelled' | 'not_cancellable';
  advance(order: OrderRecord, to: AdvanceTarget): void;
}

export function createOrderBook(
  inventory: Inventory,
  options: { random: () => number; clock?: () => Date; onStatusChange?: (change: StatusChange) => void },
): OrderBook {
  const clock = options.clock ?? (() => new Date());
  const byId = new Map<string, OrderRecord>();
  const byCustomerNumber = new Map<string, OrderRecord>();
  let nextOrder = 4_100_001;
  let nextShipment = 1;

  function setStatus(order: OrderRecord, status: BrightlineOrderStatus): void {
    const previousStatus = order.status;
    order.status = status;
    order.updatedAt = clock().toISOString();
    if (previousStatus !== status) options.onStatusChange?.({ order, previousStatus });
  }

  function ship(order: OrderRecord, quantities: Map<OrderLine, number>): void {
    const lines = [...quantities].filter(([, q]) => q > 0);
    if (lines.length === 0) return;
    const pick = CARRIERS[Math.floor(options.random() * CARRIERS.length)]!;
    for (const [line, quantity] of lines) {
      // Backordered units that ship have arrived from the factory: they never touched our stock.
      const fromBackorder = Math.max(0, quantity - allocatedOf(line));
      line.quantityBackordered -= fromBackorder;
      line.quantityShipped += quantity;
    }
    order.shipments.push({
      shipmentId: `SH${String(nextShipment++).padStart(7, '0')}`,
      carrier: pick.carrier,
      service: pick.service,
      trackingNumber: pick.tracking(options.random),
      shippedAt: clock().toISOString(),
      deliveredAt: null,
      lines: lines.map(([line, quantity]) => ({ lineNumber: line.lineNumber, itemNumber: line.itemNumber, quantity })),
    });
  }

  function releaseAllocations(order: OrderRecord): void {
    for (const line of order.lines) {
      const item = inventory.get(line.itemNumber);
      if (item) inventory.release(item, allocatedOf(line));
      line.quantityCancelled += openOf(line);
      line.quantityBackordered = 0;
    }
  }

  function shipPart(order: OrderRecord): void {
    const hasBackorder = order.lines.some((l) => l.quantityBackordered > 0);
    // With a backorder, the allocated units ship now and the rest waits; otherwise ship about half.
    const plan = new Map(order.lines.map((l) => [l, hasBackorder ? allocatedOf(l) : Math.floor(openOf(l) / 2)]));
    if ([...plan.values()].every((q) => q === 0)) {
      const first = order.lines.find((l) => openOf(l) > 0);
      const open = order.lines.reduce((n, l) => n + openOf(l), 0);
      if (!first || open < 2) throw new Error(`order ${order.orderId} has too little left to ship partially`);
      plan.set(first, 1);
    }
    ship(order, plan);
  }

  return {
    all: () => [...byId.values()],
    byId: (orderId) => byId.get(orderId),
    byCustomerOrderNumber: (n) => byCustomerNumber.get(n),
    create(input) {
      const existing = byCustomerNumber.get(input.customerOrderNumber);
      if (existing) return { order: existing, created: false };
      const now = clock().toISOString();
      const lines: OrderLine[] = input.lines.map((l) => {
        const item = inventory.get(l.itemNumber)!;
        const allocated = inventory.allocate(item, l.quantity);
        const tier = [...item.tiers].reverse().find((t) => l.quantity >= t.minQuantity) ?? item.tiers[0]!;
        return {
          lineNumber: l.lineNumber,
          itemNumber: l.itemNumber,
          quantityOrdered: l.quantity,
          quantityShipped: 0,
          quantityBackordered: l.quantity - allocated,
          quantityCancelled: 0,
          unitPrice: formatPrice4(tier.unitPrice4),
          currency: 'USD',
        };
      });
      const order: OrderRecord = {
        orderId: `SO${nextOrder++}`,
        customerOrderNumber: input.customerOrderNumber,
        status: lines.some((l) => l.quantityBackordered > 0) ? 'BACKORDERED' : 'OPEN',
        createdAt: now,
        updatedAt: now,
        shippingMethod: input.shippingMethod,
        shipTo: input.shipTo,
        lines,
        shipments: [],
      };
      byId.set(order.orderId, order);
      byCustomerNumber.set(order.customerOrderNumber, order);
      return { order, created: true };
    },
    cancel(order) {
      if (order.status === 'CANCELLED') return 'cancelled';
      if (NOT_CANCELLABLE.has(order.status)) return 'not_cancellable';
      releaseAllocations(order);
      setStatus(order, 'CANCELLED');
      return 'cancelled';
    },
    advance(order, to) {
      if (FINAL.has(order.status)) throw new Error(`order ${order.orderId} is ${order.status} and cannot move`);
      switch (to) {
        case 'accepted':
          return setStatus(order, 'PROCESSING');
        case 'on_hold':
          return setStatus(order, 'ON_HOLD');
        case 'rejected':
          releaseAllocations(order);
          return setStatus(order, 'REJECTED');
        case 'backordered':
          // Everything still waiting is now waiting on the factory; its allocation goes back to stock.
          for (const line of order.lines) {
            const item = inventory.get(line.itemNumber);
            if (item) inventory.release(item, allocatedOf(line));
            line.quantityBackordered = openOf(line);
          }
          return setStatus(order, 'BACKORDERED');
        case 'partially_shipped':
          shipPart(order);
          return setStatus(order, 'PARTIALLY_SHIPPED');
        case 'shipped':
        case 'delivered': {
          ship(order, new Map(order.lines.map((l) => [l, openOf(l)])));
          if (to === 'delivered') {
            const at = clock().toISOString();
            for (const s of order.shipments) s.deliveredAt ??= at;
          }
          return setStatus(order, to === 'shipped' ? 'SHIPPED' : 'DELIVERED');
        }
      }
    },
  };
}
