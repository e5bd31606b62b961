import { PENDING_SUB_ORDER_STATES, type OrderRecord } from '../../platform/ports/order-store.ts';
import { orderReason } from './workflow/order-reasons.ts';

export type OrderAction = 'RETRY' | 'REROUTE' | 'CANCEL';

export interface OrderAttentionView {
  readonly tenant: string;
  readonly reason: string;
  readonly actions: OrderAction[];
  readonly since: string;
  readonly order: OrderRecord;
}

/**
 * Why an order needs a person (platform/ports/order-store.ts, orderNeedsAttention), in our words from what the order
 * stored (reasons are already clipped and cleaned when stored, and again here), and which operator actions apply.
 */
export function attentionOf(order: OrderRecord): OrderAttentionView {
  const stuck = (order.subOrders ?? []).filter((s) => PENDING_SUB_ORDER_STATES.includes(s.state) && typeof s.lastError === 'string');
  const unplaced = order.lines.filter((l) => typeof l.needsAttention === 'string');
  const reasons = [
    ...stuck.map((s) => `${s.supplier} sub-order ${s.id} is ${s.state.toUpperCase()} after ${s.attempts} unanswered send(s): ${s.lastError}`),
    ...unplaced.map((l) => `line ${l.lineNumber} (${l.sku}) has no supplier: ${l.needsAttention}`),
  ];
  const actions: OrderAction[] = [...(stuck.length > 0 ? (['RETRY'] as const) : []), ...(unplaced.length > 0 ? (['REROUTE'] as const) : []), 'CANCEL'];
  return { tenant: order.tenant, reason: orderReason(reasons.join('; ')), actions, since: order.updatedAt, order };
}
