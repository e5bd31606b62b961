import type { SupplierOrderStatus } from '../../adapters/core/model.ts';
import type { OrderRecord, ShipmentRecord, SubOrderRecord } from '../../platform/ports/order-store.ts';
import { canMove, TERMINAL } from './status-machine.ts';

/**
 * Applies one supplier status report (from polling or a webhook) to a sub-order: the canonical status moves only
 * along the machine (status-machine.ts), the raw status and per-line figures are kept, and shipments are merged
 * by tracking number so a repeated report adds nothing. Returns the order unchanged when nothing moved.
 */
export function applySupplierStatus(order: OrderRecord, subOrderId: string, report: SupplierOrderStatus, at: string): OrderRecord {
  const sub = (order.subOrders ?? []).find((s) => s.id === subOrderId);
  if (sub === undefined || sub.state !== 'submitted' || sub.status === null) return order;
  const moves = canMove(sub.status, report.status);
  const shipments = mergeShipments(order.shipments, sub, report);
  if (!moves && shipments === order.shipments && sub.rawStatus === report.rawStatus) return order;
  const updated: SubOrderRecord = {
    ...sub,
    status: moves ? report.status : sub.status,
    rawStatus: report.rawStatus,
    supplierOrderId: sub.supplierOrderId ?? report.supplierOrderId,
    lineStatus: report.lines.map((l) => ({ supplierSku: l.supplierSku, shipped: l.shipped, backordered: l.backordered, cancelled: l.cancelled })),
    updatedAt: at,
  };
  return { ...order, shipments, subOrders: (order.subOrders ?? []).map((s) => (s.id === sub.id ? updated : s)) };
}

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
