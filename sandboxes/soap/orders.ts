/**
 * harborpromo's order book, in PromoStandards terms: a PO (purchaseOrderNumber, unique per customer) becomes one
 * sales order with the Order Status 2.0.0 status vocabulary, hold reasons as issueCategory, and packages that
 * Order Shipment Notification reports.
 */
export type PsOrderStatus =
  | 'received'
  | 'confirmed'
  | 'preproduction'
  | 'inProduction'
  | 'inStorage'
  | 'partiallyShipped'
  | 'shipped'
  | 'complete'
  | 'canceled';

export type PsIssueCategory =
  | 'orderEntryHold'
  | 'generalHold'
  | 'creditHold'
  | 'proofHold'
  | 'artHold'
  | 'backOrderHold'
  | 'shippingHold'
  | 'customerSuppliedItemHold';

export interface OrderLine {
  readonly lineNumber: number;
  readonly productId: string;
  readonly partId: string;
  readonly quantity: number;
  shipped: number;
  /** More than was on hand when the PO arrived: the line the supplier puts on backOrderHold (others are not). */
  readonly short?: boolean;
}

export interface PackageItem {
  readonly lineNumber: number;
  readonly productId: string;
  readonly partId: string;
  readonly quantity: number;
}

export interface Package {
  readonly id: number;
  readonly trackingNumber: string;
  readonly carrier: string;
  readonly service: string;
  readonly shippedAt: string;
  readonly items: readonly PackageItem[];
}

export interface ShipTo {
  readonly attentionTo: string;
  readonly address1: string;
  readonly city: string;
  readonly region: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface SandboxOrder {
  readonly transactionId: string;
  readonly purchaseOrderNumber: string;
  readonly salesOrderNumber: string;
  readonly lines: OrderLine[];
  readonly packages: Package[];
  readonly shipTo: ShipTo;
  readonly createdAt: string;
  status: PsOrderStatus;
  issueCategory: PsIssueCategory | null;
  explanation: string | null;
  updatedAt: string;
}

export type AdvanceTarget = 'accepted' | 'partially_shipped' | 'shipped' | 'delivered' | 'backordered' | 'on_hold' | 'rejected';

const CANCELLABLE: ReadonlySet<PsOrderStatus> = new Set(['received', 'confirmed', 'preproduction']);

/**
 * How sendPO answers a PO number it already holds. The standard leaves the duplicate's code to each supplier:
 * `error` (default) answers like most suppliers — an Error ServiceMessage and no transactionId, the PO not
 * entered again; `information` is harborpromo's old documented answer — the original transactionId plus an
 * Information message (code 210 unless given).
 */
export type DuplicatePoAnswer = { readonly severity: 'Error'; readonly code: number } | { readonly severity: 'Information'; readonly code: number };

export const DEFAULT_DUPLICATE_PO: DuplicatePoAnswer = { severity: 'Error', code: 300 };
export const LEGACY_DUPLICATE_PO: DuplicatePoAnswer = { severity: 'Information', code: 210 };

export class OrderBook {
  /** How a repeated PO number is answered (services/purchase-order.ts). */
  readonly duplicatePo: DuplicatePoAnswer;
  readonly #byPo = new Map<string, SandboxOrder>();
  readonly #byTransaction = new Map<string, SandboxOrder>();
  #sequence = 0;
  #packages = 0;

  constructor(options: { duplicatePo?: DuplicatePoAnswer } = {}) {
    this.duplicatePo = options.duplicatePo ?? DEFAULT_DUPLICATE_PO;
  }

  all(): SandboxOrder[] {
    return [...this.#byPo.values()];
  }

  byPo(po: string): SandboxOrder | undefined {
    return this.#byPo.get(po);
  }

  byTransactionId(id: string): SandboxOrder | undefined {
    return this.#byTransaction.get(id);
  }

  bySalesOrder(so: string): SandboxOrder | undefined {
    return this.all().find((o) => o.salesOrderNumber === so);
  }

  create(input: { purchaseOrderNumber: string; lines: Omit<OrderLine, 'shipped'>[]; shipTo: ShipTo; backordered: boolean }): SandboxOrder {
    this.#sequence += 1;
    const now = new Date().toISOString();
    const order: SandboxOrder = {
      transactionId: `HPT-${String(700000 + this.#sequence)}`,
      purchaseOrderNumber: input.purchaseOrderNumber,
      salesOrderNumber: `SO-${String(5500000 + this.#sequence)}`,
      lines: input.lines.map((l) => ({ ...l, shipped: 0 })),
      packages: [],
      shipTo: input.shipTo,
      createdAt: now,
      status: 'received',
      issueCategory: input.backordered ? 'backOrderHold' : null,
      explanation: null,
      updatedAt: now,
    };
    this.#byPo.set(order.purchaseOrderNumber, order);
    this.#byTransaction.set(order.transactionId, order);
    return order;
  }

  /** Cancels an order that has not reached production; returns why not otherwise. */
  cancel(order: SandboxOrder): 'canceled' | 'already-canceled' | 'too-late' {
    if (order.status === 'canceled') return 'already-canceled';
    if (!CANCELLABLE.has(order.status) || order.packages.length > 0) return 'too-late';
    this.#set(order, 'canceled', null, 'Canceled at the customer request');
    return 'canceled';
  }

  advance(order: SandboxOrder, to: AdvanceTarget): void {
    switch (to) {
      case 'accepted':
        return this.#set(order, 'confirmed', null, null);
      case 'backordered':
        return this.#set(order, 'confirmed', 'backOrderHold', 'Waiting for stock from the mill');
      case 'on_hold':
        return this.#set(order, 'confirmed', 'generalHold', 'On hold: please contact customer service');
      case 'rejected':
        return this.#set(order, 'canceled', null, 'Rejected by harborpromo: account not approved for this product');
      case 'partially_shipped':
        this.#ship(order, 'half');
        return this.#set(order, order.lines.every((l) => l.shipped >= l.quantity) ? 'shipped' : 'partiallyShipped', null, null);
      case 'shipped':
        this.#ship(order, 'rest');
        return this.#set(order, 'shipped', null, null);
      case 'delivered':
        this.#ship(order, 'rest');
        return this.#set(order, 'complete', null, null);
    }
  }

  #set(order: SandboxOrder, status: PsOrderStatus, issue: PsIssueCategory | null, explanation: string | null): void {
    order.status = status;
    order.issueCategory = issue;
    order.explanation = explanation;
    order.updatedAt = new Date().toISOString();
  }

  #ship(order: SandboxOrder, how: 'half' | 'rest'): void {
    const items: PackageItem[] = [];
    for (const line of order.lines) {
      const open = line.quantity - line.shipped;
      const quantity = how === 'rest' ? open : Math.min(open, Math.max(1, Math.floor(line.quantity / 2)));
      if (quantity <= 0) continue;
      line.shipped += quantity;
      items.push({ lineNumber: line.lineNumber, productId: line.productId, partId: line.partId, quantity });
    }
    if (items.length === 0) return;
    this.#packages += 1;
    order.packages.push({
      id: this.#packages,
      trackingNumber: `1Z9HP${String(this.#packages).padStart(3, '0')}03${String(41_000_000 + this.#packages * 7919).slice(-8)}`,
      carrier: 'UPS',
      service: 'GROUND',
      shippedAt: new Date().toISOString(),
      items,
    });
  }
}
