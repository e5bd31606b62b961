import type { CanonicalOrderStatus, SupplierOrderStatus } from '../../kernel/model.ts';
import type { OrderRecord, ShipmentRecord, SubOrderRecord } from '../../platform/ports/order-store.ts';
import type { ReservationItem } from '../../platform/ports/reservation-store.ts';
import { canMove, TERMINAL } from './status-machine.ts';
import type { OrderDeps } from './workflow/deps.ts';

/**
 * Applies one supplier status report (from polling or a webhook) to a sub-order: the canonical status moves only
 * along the machine (status-machine.ts), the raw status and per-line figures are kept, and shipments are merged
 * by tracking number so a repeated report adds nothing. Returns the order unchanged when nothing moved.
 */
export function applySupplierStatus(order: OrderRecord, subOrderId: string, report: SupplierOrderStatus, at: string): OrderRecord {
  const sub = (order.subOrders ?? []).find((s) => s.id === subOrderId);
  if (sub === undefined || sub.state !== 'submitted' || sub.status === null) return order;
  const moves = canMove(sub.status, report.status);
  // A report behind ours (a late poll, an out-of-order read) may still add a shipment, but its status word and
  // line figures are older than what we hold: they are not kept.
  const current = moves || report.status === sub.status;
  const shipments = mergeShipments(order.shipments, sub, report);
  if (shipments === order.shipments && (!current || (!moves && sub.rawStatus === report.rawStatus && sameLines(sub, report)))) return order;
  const updated: SubOrderRecord = current
    ? {
        ...sub,
        status: report.status,
        rawStatus: report.rawStatus,
        supplierOrderId: sub.supplierOrderId ?? report.supplierOrderId,
        lineStatus: report.lines.map((l) => ({ supplierSku: l.supplierSku, shipped: l.shipped, backordered: l.backordered, cancelled: l.cancelled })),
        updatedAt: at,
      }
    : { ...sub, updatedAt: at };
  return { ...order, shipments, subOrders: (order.subOrders ?? []).map((s) => (s.id === sub.id ? updated : s)) };
}

const sameLines = (sub: SubOrderRecord, report: SupplierOrderStatus): boolean =>
  sub.lineStatus.length === report.lines.length &&
  report.lines.every((l, i) => {
    const mine = sub.lineStatus[i]!;
    return mine.supplierSku === l.supplierSku && mine.shipped === l.shipped && mine.backordered === l.backordered && mine.cancelled === l.cancelled;
  });

function mergeShipments(existing: readonly ShipmentRecord[], sub: SubOrderRecord, report: SupplierOrderStatus): readonly ShipmentRecord[] {
  const known = new Set(existing.map((s) => `${s.supplier}\u0000${s.trackingNumber}`));
  const added: ShipmentRecord[] = [];
  for (const shipment of report.shipments) {
    if (known.has(`${sub.supplier}\u0000${shipment.trackingNumber}`)) continue;
    known.add(`${sub.supplier}\u0000${shipment.trackingNumber}`);
    added.push({
      supplier: sub.supplier,
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      shippedAt: shipment.shippedAt,
      lines: shipment.lines.flatMap((l) => {
        const line = sub.lines.find((x) => x.supplierSku === l.supplierSku);
        return line === undefined ? [] : [{ lineNumber: line.lineNumber, quantity: l.quantity }];
      }),
    });
  }
  return added.length === 0 ? existing : [...existing, ...added];
}

/** Sub-orders worth asking the supplier about: submitted and not yet in a final state. */
export const trackable = (order: OrderRecord): SubOrderRecord[] =>
  (order.subOrders ?? []).filter((s) => s.state === 'submitted' && s.status !== null && !TERMINAL.has(s.status));

/**
 * Statuses after which none of a sub-order's units stay committed: they shipped (the supplier's on-hand drops by
 * itself) or never will (they are available again).
 */
const NOTHING_COMMITTED: ReadonlySet<CanonicalOrderStatus> = new Set(['shipped', 'delivered', 'rejected', 'cancelled']);

/**
 * Statuses a supplier that allocates on accept reaches only after allocating the units it could: their stock
 * reads already count them out. (Shipped and later: NOTHING_COMMITTED. Rejected: nothing was allocated.)
 */
const ALLOCATED: ReadonlySet<CanonicalOrderStatus> = new Set(['accepted', 'on_hold', 'backordered', 'cancel_requested', 'partially_shipped']);

/** Whether a sub-order of a supplier that allocates on accept has its units allocated at the supplier now. */
export const allocatedAtSupplier = (sub: SubOrderRecord): boolean => sub.state === 'submitted' && sub.status !== null && ALLOCATED.has(sub.status);

/**
 * Pure: per canonical SKU, how many of a sub-order's units should still be committed on the stock row, from its
 * status and the supplier's cumulative per-line figures (shipped + cancelled units are no longer committed).
 * `allocationSeen`: the supplier allocated the order (allocatedAtSupplier) and a stock figure read after that is
 * stored, so only the units it has not allocated — its backordered figure — stay committed; a line it reported no
 * figures for stays committed whole (unknown is kept: under-selling beats overselling).
 * Cumulative figures, so an older report asks to keep at least as much as a newer one: a no-op, since a settled
 * hold only shrinks (stock-holds.ts `settleHold`).
 */
export function committedKeep(sub: SubOrderRecord, allocationSeen = false): ReservationItem[] {
  const allGone = sub.state === 'cancelled' || (sub.status !== null && NOTHING_COMMITTED.has(sub.status));
  // The supplier reports per supplier SKU; two lines sharing one (rare) take its figures in line order.
  const done = new Map<string, number>();
  const waiting = new Map<string, number>();
  for (const l of sub.lineStatus) {
    done.set(l.supplierSku, (done.get(l.supplierSku) ?? 0) + Math.max(0, l.shipped) + Math.max(0, l.cancelled));
    waiting.set(l.supplierSku, (waiting.get(l.supplierSku) ?? 0) + Math.max(0, l.backordered));
  }
  const bySku = new Map<string, number>();
  for (const line of sub.lines) {
    const left = done.get(line.supplierSku) ?? 0;
    const gone = allGone ? line.quantity : Math.min(line.quantity, left);
    done.set(line.supplierSku, left - Math.min(line.quantity, left));
    let keep = line.quantity - gone;
    if (allocationSeen && !allGone && waiting.has(line.supplierSku)) {
      const backordered = waiting.get(line.supplierSku)!;
      keep = Math.min(keep, backordered);
      waiting.set(line.supplierSku, backordered - keep);
    }
    bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + keep);
  }
  return [...bySku].map(([sku, quantity]) => ({ sku, supplier: sub.supplier, quantity }));
}

/**
 * Clears the committed units of a sub-order that shipped or was cancelled, rejected, or partly so — and, for a
 * supplier that allocates on accept (`allocatesStockOnAccept`), the units it allocated, once `refreshStock` has
 * stored a stock figure read after the allocation (a failed or missing refresh leaves them for the shipment rule).
 * Called before the status that implies it is stored (the effect, then its record): a crash in between leaves the
 * old status, so the next report does it again, and settling is idempotent (docs/inventory.md).
 */
export async function settleCommittedUnits(
  deps: Pick<OrderDeps, 'reservations' | 'log'> & Partial<Pick<OrderDeps, 'refreshStock'>>,
  order: OrderRecord,
  subOrderId: string,
  allocatesStockOnAccept = false,
): Promise<void> {
  const sub = (order.subOrders ?? []).find((s) => s.id === subOrderId);
  if (sub === undefined || sub.reservationId === null) return;
  const ordered = new Map<string, number>();
  for (const line of sub.lines) ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.quantity);
  const shrinks = (keep: readonly ReservationItem[]) => keep.some((k) => k.quantity < (ordered.get(k.sku) ?? 0));
  let keep = committedKeep(sub);
  if (allocatesStockOnAccept && deps.refreshStock !== undefined && allocatedAtSupplier(sub)) {
    const allocated = committedKeep(sub, true);
    // Only worth a supplier read when the allocation would clear more than the shipment rule does already.
    if (allocated.some((a) => a.quantity < (keep.find((k) => k.sku === a.sku)?.quantity ?? 0))) {
      const items = [...new Map(sub.lines.map((l) => [`${l.sku}\u0000${l.supplierSku}`, { sku: l.sku, supplierSku: l.supplierSku }])).values()];
      const fresh = await deps.refreshStock(sub.supplier, items).catch((error: unknown) => {
        deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, err: error }, 'stock refresh failed; allocated units stay committed until shipment');
        return false;
      });
      if (fresh) keep = allocated;
    }
  }
  if (!shrinks(keep)) return; // nothing shipped, cancelled or (seen) allocated yet
  await deps.reservations.settleCommitted(sub.reservationId, { tenant: order.tenant }, keep);
}
