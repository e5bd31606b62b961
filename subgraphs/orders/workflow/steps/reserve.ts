import { registryError } from '../../../../kernel/errors.ts';
import type { OrderRecord, SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import { isRefusal, reasonOf } from '../order-reasons.ts';
import { itemsOf, type Session, type StepKit } from '../session.ts';

/**
 * Step 1, `planned` → `reserved`: hold the sub-order's units in our inventory, keyed by the sub-order id (a repeated
 * run gets the first reservation back). Compensation: none is needed when the hold fails — the reservation service
 * holds every item or none; a refusal (OUT_OF_STOCK, NOT_FOUND, a hold no longer held) re-routes the lines (refuse).
 * Later steps that end in a refusal release this hold.
 */
export async function reserve(kit: StepKit, session: Session, sub: SubOrderRecord): Promise<OrderRecord> {
  const { deps } = kit;
  let reservationId: string;
  try {
    const r = await deps.reservations.reserveStock(itemsOf(sub), deps.reservationTtlMs, { tenant: session.latest.tenant, idempotencyKey: sub.id });
    if (r.state !== 'held' && r.state !== 'committed') throw registryError('RESERVATION_NOT_HELD', `reservation ${r.id} is ${r.state}`);
    reservationId = r.id;
  } catch (error) {
    if (isRefusal(error)) return kit.refuse(session, sub, reasonOf(error), error);
    throw error;
  }
  return session.commit(`reserved:${sub.id}`, (o) => kit.withSub(o, { ...sub, state: 'reserved', reservationId }));
}
