import type { OrderSignal } from '../../kernel/signals.ts';

/**
 * Port: how the inventory-side webhook ingest hands verified supplier order deliveries (orders, fulfilments) to
 * order tracking, without either side importing the other's transport. Implemented by the order service
 * (`OrderService.trackSupplierOrders`), wired per process in stack/start-stack.ts.
 *
 * A signal is a trigger only: tracking re-reads the named supplier order's status through the connector (order
 * lane) and applies it with the status machine, so a duplicated or out-of-order delivery cannot move status
 * wrongly. Called at least once per stored delivery (the webhook inbox retries), so implementations are idempotent.
 */

/**
 * - `moved`: the sub-order changed (status, raw status or shipments);
 * - `unchanged`: read back, nothing new (or the sub-order is already final);
 * - `unmatched`: no open sub-order of ours carries that supplier order (not ours, or closed long ago);
 * - `not_submitted`: the sub-order is still being submitted (the webhook beat our own record of the
 *   acknowledgement): the delivery should be retried later.
 */
export type OrderTriggerOutcome = 'moved' | 'unchanged' | 'unmatched' | 'not_submitted';

export type OrderTriggerResult = { readonly outcome: OrderTriggerOutcome } | { readonly error: string };

export interface OrderTriggers {
  /** One result per signal, in order. A failed read-back is an `error` result (retry), never a throw per signal. */
  trackSupplierOrders(supplier: string, signals: readonly OrderSignal[], abort?: AbortSignal): Promise<OrderTriggerResult[]>;
}
