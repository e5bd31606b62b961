import type { CanonicalOrderStatus, Money } from '../../../kernel/model.ts';
import type { LineAllocation, OrderLineRecord, OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import { aggregateStatus, TERMINAL } from '../status-machine.ts';

const PENDING = new Set(['planned', 'reserved', 'submitting']);
/** Order-level words a supplier uses when only some lines are concerned: each line's own figures decide. */
const LINE_DEPENDENT: ReadonlySet<CanonicalOrderStatus> = new Set(['partially_shipped', 'backordered']);
/** Sub-order statuses whose per-line figures can refine a line's status (waiting or shipping, not final). */
const REFINABLE: ReadonlySet<CanonicalOrderStatus> = new Set(['accepted', 'on_hold', 'backordered', 'partially_shipped']);

export interface PartView {
  readonly status: CanonicalOrderStatus;
  readonly shipped: number;
  readonly backordered: number;
  readonly unitCost: Money | null;
}

/**
 * One allocation of a line, as its sub-order stands. Until the supplier acknowledged it the part is `submitting`
 * (nothing is "submitted" before the supplier call succeeded). Once submitted, the supplier's per-line figures
 * (`lineStatus`, by supplier SKU) decide: a line it reports fully shipped is `shipped` even while the order as a
 * whole is partially shipped, and only a line it flags backordered is `backordered`. Without per-line figures
 * the order-level status stands. Null for a failed (re-routed) part.
 */
export function partView(a: LineAllocation, lineNumber: number, sub: SubOrderRecord): PartView | null {
  if (sub.state === 'failed') return null;
  const priced = sub.lines.find((l) => l.lineNumber === lineNumber && l.supplierSku === a.supplierSku);
  const unitCost = priced?.unitCost ?? a.unitCost;
  if (sub.state === 'cancelled') return { status: 'cancelled', shipped: 0, backordered: 0, unitCost };
  if (PENDING.has(sub.state) || sub.status === null) return { status: 'submitting', shipped: 0, backordered: 0, unitCost };
  const quantity = a.quantity;
  const figures = figuresFor(sub, lineNumber, a.supplierSku);
  const status = sub.status;
  if (figures === null) {
    const shipped = status === 'shipped' || status === 'delivered' ? quantity : 0;
    return { status, shipped, backordered: 0, unitCost };
  }
  const shipped = Math.min(quantity, figures.shipped);
  const cancelled = Math.min(quantity - shipped, figures.cancelled);
  const backordered = Math.min(quantity - shipped - cancelled, figures.backordered);
  if (!REFINABLE.has(status)) return { status, shipped: status === 'shipped' || status === 'delivered' ? quantity - cancelled : shipped, backordered, unitCost };
  let own: CanonicalOrderStatus;
  if (cancelled >= quantity) own = 'cancelled';
  else if (shipped > 0 && shipped >= quantity - cancelled) own = 'shipped';
  else if (shipped > 0) own = 'partially_shipped';
  else if (backordered > 0) own = 'backordered';
  else own = LINE_DEPENDENT.has(status) ? 'accepted' : status; // not flagged: this line just waits
  return { status: own, shipped, backordered, unitCost };
}

/**
 * The supplier's cumulative figures for one line of a sub-order. The supplier reports per supplier SKU; when two
 * lines of one sub-order share a SKU (rare) the figures are given out in line order.
 */
function figuresFor(sub: SubOrderRecord, lineNumber: number, supplierSku: string): { shipped: number; backordered: number; cancelled: number } | null {
  const reported = sub.lineStatus.filter((l) => l.supplierSku === supplierSku);
  if (reported.length === 0) return null;
  let shipped = reported.reduce((n, l) => n + Math.max(0, l.shipped), 0);
  let backordered = reported.reduce((n, l) => n + Math.max(0, l.backordered), 0);
  let cancelled = reported.reduce((n, l) => n + Math.max(0, l.cancelled), 0);
  for (const line of sub.lines.filter((l) => l.supplierSku === supplierSku)) {
    const take = (left: number) => Math.min(line.quantity, left);
    const mine = { shipped: take(shipped), cancelled: take(cancelled), backordered: take(backordered) };
    if (line.lineNumber === lineNumber) return mine;
    shipped -= mine.shipped;
    cancelled -= mine.cancelled;
    backordered -= mine.backordered;
  }
  return null;
}

const sameMoney = (a: Money | null, b: Money | null) => a !== null && b !== null && a.amount === b.amount && a.currency === b.currency;

function refreshLine(line: OrderLineRecord, subs: ReadonlyMap<string, SubOrderRecord>): OrderLineRecord {
  const parts: { a: LineAllocation; view: PartView }[] = [];
  for (const a of line.allocations ?? []) {
    const sub = subs.get(a.subOrderId);
    const view = sub === undefined ? null : partView(a, line.lineNumber, sub);
    if (view !== null) parts.push({ a, view });
  }
  const suppliers = [...new Set(parts.map((p) => p.a.supplier))];
  const costs = parts.map((p) => p.view.unitCost);
  return {
    ...line,
    // Each part shows the cost its PO was priced at (the sub-order line), else the routing quote.
    allocations: (line.allocations ?? []).map((a) => {
      const priced = parts.find((p) => p.a === a)?.view.unitCost;
      return priced === undefined || priced === a.unitCost ? a : { ...a, unitCost: priced };
    }),
    supplier: suppliers.length === 1 ? suppliers[0]! : null,
    supplierSku: parts.length === 1 ? parts[0]!.a.supplierSku : null,
    // One price per line: its parts' when they agree (a split over suppliers at different costs shows per part).
    unitCost: costs.length > 0 && costs.every((c) => sameMoney(c, costs[0]!)) ? costs[0]! : null,
    shipped: parts.reduce((n, p) => n + p.view.shipped, 0),
    backordered: parts.reduce((n, p) => n + p.view.backordered, 0),
    // A line no supplier would take is rejected; needsAttention says why.
    status: parts.length === 0 ? (line.needsAttention ? 'rejected' : line.status) : aggregateStatus(parts.map((p) => p.view.status)),
  };
}

/** Recomputes every derived field (line routing, status, figures and cost, order status, workflow) from the sub-orders. */
export function refreshOrder(order: OrderRecord, at: string): OrderRecord {
  const subOrders = order.subOrders ?? [];
  const byId = new Map(subOrders.map((s) => [s.id, s]));
  const lines = order.lines.map((l) => refreshLine(l, byId));
  const status = aggregateStatus(lines.map((l) => l.status));
  const live = subOrders.filter((s) => s.state !== 'failed');
  const workflow = subOrders.some((s) => PENDING.has(s.state))
    ? 'placing'
    : live.every((s) => s.state === 'cancelled' || (s.status !== null && TERMINAL.has(s.status)))
      ? 'closed'
      : 'tracking';
  return { ...order, lines, status, workflow, updatedAt: at };
}
