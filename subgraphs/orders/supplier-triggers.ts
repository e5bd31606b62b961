import { isRegistryError } from '../../kernel/errors.ts';
import type { SupplierOrderStatus } from '../../kernel/model.ts';
import type { OrderSignal } from '../../adapters/core/webhook.ts';
import { subOrderByRef, type OrderRecord, type SubOrderRecord } from '../../platform/ports/order-store.ts';
import type { OrderTriggerResult } from '../../platform/ports/order-triggers.ts';
import { TERMINAL } from './status-machine.ts';
import type { OrderDeps } from './workflow/deps.ts';
import { storedFailureText, supplierFailureFields } from '../../adapters/core/supplier-facts.ts';

/**
 * Supplier order webhooks as triggers (docs/orders.md, "Tracking"): each signal names a supplier order by the
 * supplier's id or by our key on it; the matching sub-order's status is read back through the connector (order
 * lane: read-backs follow the supplier's own activity on our orders, so they stay prompt; the tracking share bounds
 * the polling loop, the traffic that ran with nothing happening) and applied like a poll. The delivery's own status words are never used, so a stale, replayed or
 * out-of-order delivery can at most cause one more read-back.
 */

const PENDING = new Set(['planned', 'reserved', 'submitting']);

export type ApplyReport = (tenant: string, orderId: string, subOrderId: string, report: SupplierOrderStatus) => Promise<OrderRecord | null>;

/**
 * Pure: the sub-order a signal names among the given orders — by the supplier's order id anywhere first, then by our
 * key (a webhook racing the record of the supplier's id) — with the store's own matching rule.
 */
export function matchSignal(orders: readonly OrderRecord[], supplier: string, signal: OrderSignal): { order: OrderRecord; sub: SubOrderRecord } | null {
  for (const ref of [{ supplierOrderId: signal.supplierOrderId, reference: null }, { supplierOrderId: null, reference: signal.reference }]) {
    for (const order of orders) {
      const sub = subOrderByRef(order, supplier, ref);
      if (sub !== undefined) return { order, sub };
    }
  }
  return null;
}

export async function trackTriggered(
  deps: Pick<OrderDeps, 'orders' | 'connectors' | 'log' | 'submitTimeoutMs'>,
  applyReport: ApplyReport,
  supplier: string,
  signals: readonly OrderSignal[],
  abort?: AbortSignal,
): Promise<OrderTriggerResult[]> {
  if (signals.length === 0) return [];
  const connector = deps.connectors.get(supplier);
  if (connector === undefined) return signals.map(() => ({ error: `no connector for ${supplier}` }));
  // Each signal's order is found by its supplier reference (a pointer lookup in the store, no scan).
  const lookups = new Map<string, Promise<OrderRecord | null>>();
  const orderOf = (signal: OrderSignal): Promise<OrderRecord | null> => {
    const key = `${signal.supplierOrderId ?? ''}\u0000${signal.reference ?? ''}`;
    let found = lookups.get(key);
    if (found === undefined) {
      found = deps.orders.findBySupplierRef(supplier, { supplierOrderId: signal.supplierOrderId, reference: signal.reference });
      lookups.set(key, found);
    }
    return found;
  };
  // Several deliveries about one supplier order in a batch cost one read-back.
  const reads = new Map<string, Promise<OrderTriggerResult>>();
  const track = (order: OrderRecord, sub: SubOrderRecord): Promise<OrderTriggerResult> => {
    const key = `${order.tenant}\u0000${sub.id}`;
    let read = reads.get(key);
    if (read === undefined) {
      read = (async (): Promise<OrderTriggerResult> => {
        try {
          const signal = abort === undefined ? AbortSignal.timeout(deps.submitTimeoutMs) : AbortSignal.any([abort, AbortSignal.timeout(deps.submitTimeoutMs)]);
          const report = await connector.getOrderStatus(
            { supplierOrderId: sub.supplierOrderId, idempotencyKey: sub.idempotencyKey },
            { signal, log: deps.log, requestId: `webhook-track:${sub.id}`, lane: 'order' },
          );
          return { outcome: (await applyReport(order.tenant, order.id, sub.id, report)) === null ? 'unchanged' : 'moved' };
        } catch (error) {
          // An expected supplier failure (down, throttled, our tracking share spent) without a stack: the inbox retries it.
          deps.log.warn({ order: order.id, subOrder: sub.id, ...(isRegistryError(error) ? supplierFailureFields(error) : { err: error }) }, 'status read-back after a supplier webhook failed');
          return { error: storedFailureText(error) };
        }
      })();
      reads.set(key, read);
    }
    return read;
  };
  return Promise.all(
    signals.map(async (signal): Promise<OrderTriggerResult> => {
      const candidate = await orderOf(signal);
      const found = candidate === null ? null : matchSignal([candidate], supplier, signal);
      if (found === null) return { outcome: 'unmatched' };
      const { order, sub } = found;
      if (PENDING.has(sub.state)) return { outcome: 'not_submitted' };
      if (sub.state !== 'submitted' || sub.status === null || TERMINAL.has(sub.status)) return { outcome: 'unchanged' };
      return track(order, sub);
    }),
  );
}
