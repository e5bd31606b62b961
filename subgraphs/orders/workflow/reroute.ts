import { registryError } from '../../../kernel/errors.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import type { OrderDeps } from './deps.ts';
import { applyDecision, loadCandidates, routeLine } from './plan.ts';
import type { OrderRunner } from './run-order.ts';

const GONE = new Set<SubOrderRecord['state']>(['failed', 'cancelled']);

/** Units of a line carried by sub-orders still alive (not refused, not cancelled). */
function placedUnits(order: OrderRecord, lineNumber: number): number {
  const alive = new Set((order.subOrders ?? []).filter((s) => !GONE.has(s.state)).map((s) => s.id));
  const line = order.lines.find((l) => l.lineNumber === lineNumber);
  return (line?.allocations ?? []).filter((a) => alive.has(a.subOrderId)).reduce((n, a) => n + a.quantity, 0);
}

/**
 * An operator's re-route (rerouteOrder): each line needing attention is routed again for its units no live
 * sub-order carries, among the suppliers that have not refused it (`refusedBy`) and the order's allowed ones, on
 * today's stock. New parts go on new `planned` sub-orders, as an automatic re-route does; the caller then runs the
 * order. Stored before anything is sent, so a crash leaves planned sub-orders the resume loop picks up.
 */
export async function rerouteLines(deps: OrderDeps, runner: OrderRunner, order: OrderRecord): Promise<OrderRecord> {
  const lines = order.lines.filter((l) => typeof l.needsAttention === 'string');
  if (lines.length === 0) throw registryError('INVALID_INPUT', `Order ${order.id} has no line needing attention`, { details: { field: 'id', reason: 'NOTHING_TO_REROUTE' } });
  const candidates = await loadCandidates(deps, [...new Set(lines.map((l) => l.sku))], order.allowedSuppliers);
  const at = new Date(deps.now()).toISOString();
  const subOrders = [...(order.subOrders ?? [])];
  const fresh = new Map<string, SubOrderRecord>();
  const rerouted = order.lines.map((line) => {
    if (typeof line.needsAttention !== 'string') return line;
    const missing = line.quantity - placedUnits(order, line.lineNumber);
    if (missing <= 0) return { ...line, needsAttention: null };
    const decision = routeLine(line.sku, missing, candidates.get(line.sku) ?? [], deps.policy, line.refusedBy ?? [], order.allowedSuppliers);
    return applyDecision(line, decision, order.id, subOrders, fresh, at);
  });
  deps.log.info({ order: order.id, lines: lines.map((l) => l.lineNumber), newSubOrders: [...fresh.values()].map((s) => s.id) }, 'operator re-routed lines needing attention');
  return runner.save({ ...order, lines: rerouted, subOrders }, `reroute:${order.version}`, order.status);
}
