import type { SupplierOrderAck } from '../../../../kernel/model.ts';
import { isRegistryError, registryError } from '../../../../kernel/errors.ts';
import type { OrderRecord, SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import { openCustomer } from '../../personal-data.ts';
import { orderReason, reasonOf } from '../order-reasons.ts';
import type { Session, StepKit } from '../session.ts';
import { send } from './send.ts';

/**
 * Step 3, `submitting`: send the supplier order under the sub-order's idempotency key (steps/send.ts: bounded
 * resends, a read-back before any error counts as a refusal once a send may have arrived). Answers the supplier's
 * acknowledgement for step 4 (confirm), or the order as stored when the step ended otherwise. Compensation: a
 * refusal releases the hold and re-routes the lines (refuse); no answer stores the attempts and the last error and
 * leaves the sub-order `submitting` — the resume loop re-sends the same key, so the supplier never gets two orders.
 */
export async function submit(kit: StepKit, session: Session, sub: SubOrderRecord): Promise<{ ack: SupplierOrderAck } | { done: OrderRecord }> {
  const { deps } = kit;
  const order = session.latest;
  if (order.customer === undefined || order.customer === null) throw registryError('INTERNAL', `order ${order.id} has no ship-to`);
  const shipTo = await openCustomer(deps.kms, order.tenant, order.id, order.customer);
  const lines = sub.lines.map((l, i) => ({ lineNumber: i + 1, supplierSku: l.supplierSku, quantity: l.quantity, unitCost: l.unitCost }));
  // Whether an earlier send may have reached the supplier: a run before this one stored `submitting` before its
  // send, and nothing tells us that it did not send.
  const sentBefore = !session.movedToSubmitting.has(sub.id) || sub.attempts > 0;
  const outcome = await send(kit, sub, { idempotencyKey: sub.idempotencyKey, lines, shipTo }, sentBefore);
  if (outcome.kind === 'refused') return { done: await kit.refuse(session, sub, outcome.reason, outcome.error) };
  if (outcome.kind === 'unanswered') {
    const { lastError } = outcome;
    const message = isRegistryError(lastError) ? reasonOf(lastError) : orderReason(String(lastError));
    await session.commit(`submit-failed:${sub.id}`, (o) => kit.withSub(o, { ...sub, attempts: sub.attempts + outcome.sends, lastError: message }));
    throw registryError('SUPPLIER_UNAVAILABLE', `submitting ${sub.id} to ${sub.supplier} did not finish; it resumes later`, { supplier: sub.supplier, cause: lastError });
  }
  return { ack: outcome.ack };
}
