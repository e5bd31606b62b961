import { isRegistryError, type RegistryError } from '../../../../kernel/errors.ts';
import { supplierFailureFields } from '../../../../adapters/core/supplier-facts.ts';
import type { OrderRecord, SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import { routeLine } from '../../routing.ts';
import type { OrderDeps } from '../deps.ts';
import { orderReason } from '../order-reasons.ts';
import { applyDecision, loadCandidates } from '../plan.ts';
import type { Session } from '../session.ts';

/**
 * The compensation of every placement step: the supplier will not take `sub`. Its units go back (the reservation is
 * released; one no longer held is already back), the sub-order is marked failed with our reason, and each of its
 * lines is routed to the next supplier that has not refused it — or, when none is left, marked as needing attention.
 * Re-running it after a crash repeats nothing: the release is idempotent and the failed state is stored once.
 */
export function createRefuse(deps: OrderDeps, iso: () => string) {
  return async function refuse(session: Session, sub: SubOrderRecord, why: string, error?: RegistryError): Promise<OrderRecord> {
    const reason = orderReason(why);
    const { tenant, id } = session.latest;
    if (sub.reservationId !== null) {
      await deps.reservations.releaseReservation(sub.reservationId, { tenant }).catch((error: unknown) => {
        if (!isRegistryError(error) || error.code !== 'RESERVATION_NOT_HELD') throw error;
      });
    }
    const candidates = await loadCandidates(deps, [...new Set(sub.lines.map((l) => l.sku))], session.latest.allowedSuppliers);
    deps.log.warn({ order: id, subOrder: sub.id, supplier: sub.supplier, reason, ...(error ? { details: supplierFailureFields(error)['details'] } : {}) }, 'supplier refused a sub-order; re-routed');
    return session.commit(`refused:${sub.id}`, (order) => {
      const subOrders = (order.subOrders ?? []).map((s) => (s.id === sub.id ? { ...s, state: 'failed' as const, lastError: reason, updatedAt: iso() } : s));
      const fresh = new Map<string, SubOrderRecord>();
      const lines = order.lines.map((line) => {
        const part = sub.lines.filter((l) => l.lineNumber === line.lineNumber).reduce((n, l) => n + l.quantity, 0);
        if (part === 0) return line;
        const refusedBy = [...new Set([...(line.refusedBy ?? []), sub.supplier])];
        const decision = routeLine(line.sku, part, candidates.get(line.sku) ?? [], deps.policy, refusedBy, order.allowedSuppliers);
        const routed = applyDecision({ ...line, refusedBy }, decision, order.id, subOrders, fresh, iso());
        return decision.unallocated > 0 ? { ...routed, needsAttention: `${sub.supplier} refused (${reason}); ${decision.reason}` } : routed;
      });
      return { ...order, lines, subOrders };
    });
  };
}
