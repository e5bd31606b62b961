import { isRegistryError, registryError } from '../../../kernel/errors.ts';
import type { OrderRecord, SubOrderRecord } from '../../../platform/ports/order-store.ts';
import { canMove } from '../status-machine.ts';
import type { OrderDeps } from './deps.ts';
import type { OrderRunner } from './run-order.ts';

/**
 * Cancels the sub-orders carrying `lineNumbers` (all when absent). Suppliers cancel whole orders, so a line can be
 * cancelled alone only when its sub-order carries nothing else. Nothing is changed unless every affected
 * sub-order can still be cancelled: not-yet-submitted ones release their reservation; submitted ones are cancelled
 * at the supplier (ORDER_NOT_CANCELLABLE once it shipped), and their committed units return to available. Lines no
 * supplier would take (needsAttention) are dropped.
 */
export async function cancelSubOrders(deps: OrderDeps, runner: OrderRunner, order: OrderRecord, lineNumbers?: readonly number[]): Promise<OrderRecord> {
  const wanted = lineNumbers === undefined || lineNumbers.length === 0 ? null : new Set(lineNumbers);
  for (const n of wanted ?? []) {
    if (!order.lines.some((l) => l.lineNumber === n)) throw registryError('INVALID_INPUT', `Order ${order.id} has no line ${n}`, { details: { field: 'lineNumbers' } });
  }
  const live = (order.subOrders ?? []).filter((s) => s.state !== 'failed' && s.state !== 'cancelled');
  const affected = live.filter((s) => wanted === null || s.lines.some((l) => wanted.has(l.lineNumber)));
  for (const sub of affected) {
    if (wanted !== null && sub.lines.some((l) => !wanted.has(l.lineNumber))) {
      throw registryError('ORDER_NOT_CANCELLABLE', `${sub.supplier} cancels whole orders only: cancel lines ${sub.lines.map((l) => l.lineNumber).join(', ')} together`, {
        supplier: sub.supplier,
        details: { subOrderId: sub.id },
      });
    }
    if (sub.state === 'submitted' && sub.status !== null && !canMove(sub.status, 'cancelled')) {
      throw registryError('ORDER_NOT_CANCELLABLE', `${sub.supplier} order for ${order.id} is ${sub.status}`, { supplier: sub.supplier, details: { subOrderId: sub.id } });
    }
  }
  let current = order;
  for (const sub of affected) {
    if (sub.state === 'submitting' || sub.state === 'submitted') {
      // Recorded first: a crash here leaves a visible cancel_requested, not a silent half-cancel.
      current = await runner.save(replace(current, { ...sub, state: 'submitted', status: 'cancel_requested' }), `cancel-requested:${sub.id}`, current.status);
      await deps.connectors.get(sub.supplier)!.cancelOrder(
        { supplierOrderId: sub.supplierOrderId, idempotencyKey: sub.idempotencyKey },
        { signal: AbortSignal.timeout(deps.submitTimeoutMs), log: deps.log, requestId: `cancel:${sub.id}`, lane: 'order' },
      ).catch(async (error: unknown) => {
        // Put the status back so the order keeps being tracked, then tell the caller.
        await runner.save(replace(current, sub), `cancel-refused:${sub.id}`, current.status);
        throw error;
      });
    }
    if (sub.reservationId !== null) {
      const reservationId = sub.reservationId;
      await deps.reservations.releaseReservation(reservationId, { tenant: order.tenant }).catch(async (error: unknown) => {
        if (!isRegistryError(error) || error.code !== 'RESERVATION_NOT_HELD') throw error;
        // Committed to the supplier order, which is now cancelled: the units return to available. Before the
        // `cancelled` record, so a crash here leaves `cancel_requested`, and tracking (the supplier then reports
        // the order cancelled) settles again, idempotently.
        await deps.reservations.settleCommitted(reservationId, { tenant: order.tenant });
      });
    }
    current = await runner.save(replace(current, { ...sub, state: 'cancelled', status: 'cancelled' }), `cancelled:${sub.id}`, current.status);
  }
  // A line no supplier would take has nothing to cancel at a supplier: cancelling drops it (CANCELLED where no live
  // part is left), and it no longer needs attention. Before this, cancelling a REJECTED order changed nothing.
  const unplaced = new Set(current.lines.filter((l) => typeof l.needsAttention === 'string' && (wanted === null || wanted.has(l.lineNumber))).map((l) => l.lineNumber));
  if (unplaced.size > 0) {
    const lines = current.lines.map((l) => (unplaced.has(l.lineNumber) ? { ...l, needsAttention: null, status: 'cancelled' as const } : l));
    current = await runner.save({ ...current, lines }, `dropped-unplaced:${[...unplaced].join(',')}`, current.status);
  }
  return current;
}

const replace = (order: OrderRecord, sub: SubOrderRecord): OrderRecord => ({
  ...order,
  subOrders: (order.subOrders ?? []).map((s) => (s.id === sub.id ? sub : s)),
});
