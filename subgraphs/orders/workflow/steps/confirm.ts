import type { SupplierOrderAck } from '../../../../kernel/model.ts';
import { cleanSupplierText } from '../../../../adapters/core/supplier-text.ts';
import type { OrderRecord, SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import type { Session, StepKit } from '../session.ts';

/**
 * Step 4, `submitting` → `submitted`: the supplier acknowledged the order. Its units move from reserved to committed
 * (a reservation that expired meanwhile only loses the bookkeeping) and the sub-order stores the supplier's order id
 * and status. Compensation: an acknowledgement that says rejected or cancelled is a refusal — the hold is released
 * and the lines re-routed (refuse); the reason is our canonical word, the supplier's raw status goes to the log.
 */
export async function confirm(kit: StepKit, session: Session, sub: SubOrderRecord, ack: SupplierOrderAck): Promise<OrderRecord> {
  const { deps } = kit;
  const order = session.latest;
  if (ack.status === 'rejected' || ack.status === 'cancelled') {
    deps.log.info({ subOrder: sub.id, supplier: sub.supplier, rawStatus: cleanSupplierText(ack.rawStatus) }, 'supplier answered the order with a refusing status');
    return kit.refuse(session, sub, `supplier answered the order ${ack.status}`);
  }
  if (sub.reservationId !== null) {
    await deps.reservations.commitReservation(sub.reservationId, { tenant: order.tenant }).catch((error: unknown) => {
      deps.log.warn({ order: order.id, subOrder: sub.id, err: error }, 'could not commit the reservation of a submitted sub-order');
    });
  }
  const submitted: SubOrderRecord = { ...sub, state: 'submitted', supplierOrderId: ack.supplierOrderId, status: ack.status, rawStatus: ack.rawStatus, lastError: null };
  return session.commit(`submitted:${sub.id}`, (o) => kit.withSub(o, submitted));
}
