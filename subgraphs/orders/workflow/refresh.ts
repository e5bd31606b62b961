import type { CanonicalOrderStatus } from '../../../adapters/core/model.ts';
import type { OrderLineRecord, OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import { aggregateStatus, TERMINAL } from '../status-machine.ts';

const PENDING = new Set(['planned', 'reserved', 'submitting']);

/** A sub-order's contribution to its lines' status. Failed sub-orders were re-routed and no longer count. */
function subStatus(sub: SubOrderRecord): CanonicalOrderStatus | null {
  if (sub.state === 'failed') return null;
  if (sub.state === 'cancelled') return 'cancelled';
  return sub.status ?? 'submitted';
}

function refreshLine(line: OrderLineRecord, subs: ReadonlyMap<string, SubOrderRecord>): OrderLineRecord {
  const live = (line.allocations ?? []).filter((a) => {
    const sub = subs.get(a.subOrderId);
    return sub !== undefined && sub.state !== 'failed';
  });
  const statuses = live.map((a) => subStatus(subs.get(a.subOrderId)!)).filter((s): s is CanonicalOrderStatus => s !== null);
  const suppliers = [...new Set(live.map((a) => a.supplier))];
  const single = live.length === 1 ? live[0]! : null;
  return {
    ...line,
    supplier: suppliers.length === 1 ? suppliers[0]! : null,
    supplierSku: single?.supplierSku ?? null,
    unitCost: single?.unitCost ?? null,
    // A line no supplier would take is rejected; needsAttention says why.
    status: statuses.length === 0 ? (line.needsAttention ? 'rejected' : line.status) : aggregateStatus(statuses),
  };
}

/** Recomputes every derived field (line routing, line and order status, workflow) from the sub-orders. */
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
