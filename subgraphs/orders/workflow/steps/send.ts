import { isRegistryError, type RegistryError } from '../../../../kernel/errors.ts';
import type { SupplierOrder, SupplierOrderAck, SupplierOrderStatus } from '../../../../kernel/model.ts';
import type { SubOrderRecord } from '../../../../platform/ports/order-store.ts';
import { definite, errorFields, isRefusal, neverSent, reasonOf } from '../order-reasons.ts';
import type { StepKit } from '../session.ts';

/** Whether an order the supplier reports under our key carries what the sub-order sent (when it reports lines). */
export function sameGoods(sub: SubOrderRecord, found: SupplierOrderStatus): boolean {
  const ordered = found.lines.filter((l) => l.ordered > 0);
  if (ordered.length === 0) return true; // the supplier's status carries no per-line figures: nothing to compare
  const tally = (entries: readonly (readonly [string, number])[]) => {
    const m = new Map<string, number>();
    for (const [sku, n] of entries) m.set(sku, (m.get(sku) ?? 0) + n);
    return [...m].sort(([a], [b]) => a.localeCompare(b)).map(([sku, n]) => `${sku}\u0000${n}`).join('|');
  };
  return tally(sub.lines.map((l) => [l.supplierSku, l.quantity])) === tally(ordered.map((l) => [l.supplierSku, l.ordered]));
}

export type SendOutcome = { kind: 'ack'; ack: SupplierOrderAck } | { kind: 'refused'; reason: string; error: RegistryError } | { kind: 'unanswered'; lastError: unknown; sends: number };

/**
 * Up to `submitAttempts` sends of one supplier order under its key, one supplier call each (the connector and the
 * traffic layer never retry writes). Once a send may have reached the supplier (`mayExist`) no error answer is a
 * refusal until the supplier says it has no such order (docs/orders.md, "A resend is never refused blindly").
 */
export async function send(kit: StepKit, sub: SubOrderRecord, supplierOrder: SupplierOrder, sentBefore: boolean): Promise<SendOutcome> {
  const { deps } = kit;
  const connector = deps.connectors.get(sub.supplier)!;
  let mayExist = sentBefore;
  let lastError: unknown = null;
  let sends = 0;
  let checked = false; // the last error was already checked with a read-back
  for (let attempt = 0; attempt < deps.submitAttempts; attempt += 1) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
    checked = false;
    try {
      sends += 1;
      return { kind: 'ack', ack: await connector.placeOrder(supplierOrder, kit.ctx(`submit:${sub.id}`, deps.submitTimeoutMs)) };
    } catch (error) {
      lastError = error;
      if (neverSent(error)) continue; // our own traffic layer refused it: nothing left the process
      if (mayExist && definite(error)) {
        // The supplier answered, but its answer to a send it may already hold can be its duplicate-order error
        // (or one we cannot parse): ask it for the order under our key before deciding.
        checked = true;
        const found = await readBack(kit, sub, error);
        if (found === 'absent' && isRefusal(error)) return { kind: 'refused', reason: reasonOf(error), error };
        if (found !== 'absent' && found !== 'unknown') return { kind: 'ack', ack: found };
      } else if (isRefusal(error)) {
        return { kind: 'refused', reason: reasonOf(error), error }; // nothing was sent before: a plain refusal
      }
      mayExist = true; // timeout, outage, lost or unreadable answer: the supplier may have the order now
      deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, attempt, ...errorFields(error) }, 'supplier submit failed; retrying with the same key');
    }
  }
  if (mayExist && !checked) {
    // The last send went unanswered: one status read may still find the order before the resume loop must.
    const found = await readBack(kit, sub, lastError);
    if (found !== 'absent' && found !== 'unknown') return { kind: 'ack', ack: found };
  }
  return { kind: 'unanswered', lastError, sends };
}

/**
 * A send that may have reached the supplier got an error (its duplicate-order error, whatever its code, looks like
 * any refusal) or no answer at all: ask the supplier for the order under our key before deciding. `absent` only
 * on the supplier's own "no such order"; `unknown` when the read-back failed too (the sub-order stays
 * `submitting` and is resumed). An order found under our key with other goods is not ours to claim (absent).
 */
async function readBack(kit: StepKit, sub: SubOrderRecord, answer: unknown): Promise<SupplierOrderAck | 'absent' | 'unknown'> {
  const { deps } = kit;
  const connector = deps.connectors.get(sub.supplier)!;
  try {
    const found = await connector.getOrderStatus({ supplierOrderId: null, idempotencyKey: sub.idempotencyKey }, kit.ctx(`submit-read-back:${sub.id}`, deps.submitTimeoutMs));
    if (!sameGoods(sub, found)) {
      deps.log.error({ subOrder: sub.id, supplier: sub.supplier, supplierOrderId: found.supplierOrderId }, 'the supplier holds another order under our key; refusal stands');
      return 'absent';
    }
    deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, answer: isRegistryError(answer) ? answer.code : String(answer), supplierOrderId: found.supplierOrderId }, 'the supplier has the order a send got no clear answer for: submitted');
    return { supplierOrderId: found.supplierOrderId, status: found.status, rawStatus: found.rawStatus, alreadyExisted: true };
  } catch (error) {
    if (isRegistryError(error) && error.code === 'SUPPLIER_NOT_FOUND') return 'absent';
    deps.log.warn({ subOrder: sub.id, supplier: sub.supplier, ...errorFields(error) }, 'could not read back an order the supplier may hold; it resumes later');
    return 'unknown';
  }
}
