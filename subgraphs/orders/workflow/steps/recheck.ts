import type { OrderRecord, SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import { isRefusal, reasonOf } from '../order-reasons.ts';
import type { Session, StepKit } from '../session.ts';

/**
 * Step 2, `reserved` → `submitting`: read the supplier's live stock just before submitting (canonical stock may lag
 * a supplier that sold out), price each line with the supplier's live cost unless routing already priced it, and
 * store `submitting` — the outbox entry: from here a run may already have sent the order, so every later run re-sends
 * the same key. Compensation: short stock or a refusal releases the hold and re-routes the lines (refuse); an
 * outage leaves the sub-order `reserved` for the resume loop.
 */
export async function recheck(kit: StepKit, session: Session, sub: SubOrderRecord): Promise<OrderRecord> {
  const { deps } = kit;
  const connector = deps.connectors.get(sub.supplier)!;
  let live;
  try {
    live = await connector.getStock([...new Set(sub.lines.map((l) => l.supplierSku))], kit.ctx(`recheck:${sub.id}`, deps.submitTimeoutMs));
  } catch (error) {
    if (isRefusal(error)) return kit.refuse(session, sub, reasonOf(error, 'live stock re-check: '), error);
    throw error;
  }
  const short = sub.lines.find((l) => (live.find((s) => s.supplierSku === l.supplierSku)?.available ?? 0) < l.quantity);
  if (short !== undefined) return kit.refuse(session, sub, `live stock re-check: ${short.supplierSku} has fewer than ${short.quantity}`);
  // The PO carries the cost and the order line shows it (OrderLine.unitCost).
  const lines = sub.lines.map((l) => ({ ...l, unitCost: l.unitCost ?? live.find((s) => s.supplierSku === l.supplierSku)?.cost ?? null }));
  const stored = await session.commit(`submitting:${sub.id}`, (o) => kit.withSub(o, { ...sub, lines, state: 'submitting' }));
  session.movedToSubmitting.add(sub.id);
  return stored;
}
