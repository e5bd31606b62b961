import type { CanonicalOrderStatus } from '../../kernel/model.ts';

/**
 * The one canonical status machine (docs/orders.md has the table). A supplier's report moves a sub-order only
 * forward: a late poll answering "accepted" after a webhook said "shipped" is ignored.
 */
const PROGRESS: Record<CanonicalOrderStatus, number> = {
  submitting: -1,
  submitted: 0,
  accepted: 1,
  on_hold: 1,
  backordered: 1,
  cancel_requested: 1,
  partially_shipped: 2,
  shipped: 3,
  delivered: 4,
  rejected: 5,
  cancelled: 5,
};

export const TERMINAL: ReadonlySet<CanonicalOrderStatus> = new Set(['delivered', 'rejected', 'cancelled']);

/** Whether a sub-order in `from` may move to `to`. */
export function canMove(from: CanonicalOrderStatus, to: CanonicalOrderStatus): boolean {
  if (from === to || TERMINAL.has(from)) return false;
  // Rejection and cancellation end an order that has not shipped yet; nothing ships after them.
  if (to === 'rejected' || to === 'cancelled') return PROGRESS[from] < 2 || to === 'cancelled' && from === 'cancel_requested';
  if (to === 'cancel_requested') return PROGRESS[from] < 2;
  // Sideways among the waiting states (accepted ↔ on hold ↔ backordered) is allowed; backwards from shipping is not.
  return PROGRESS[to] >= PROGRESS[from];
}

/** The status of a line or an order from the statuses of its parts. */
export function aggregateStatus(parts: readonly CanonicalOrderStatus[]): CanonicalOrderStatus {
  if (parts.length === 0) return 'submitted';
  const all = (s: CanonicalOrderStatus) => parts.every((p) => p === s);
  const any = (s: CanonicalOrderStatus) => parts.includes(s);
  if (all('cancelled')) return 'cancelled';
  if (all('rejected')) return 'rejected';
  const live = parts.filter((p) => p !== 'cancelled' && p !== 'rejected');
  if (live.every((p) => p === 'delivered')) return 'delivered';
  if (live.every((p) => p === 'delivered' || p === 'shipped')) return 'shipped';
  if (live.some((p) => p === 'shipped' || p === 'delivered' || p === 'partially_shipped')) return 'partially_shipped';
  // A part still being sent (or re-sent after a refusal) keeps the whole order "submitting" until acknowledged.
  if (any('submitting')) return 'submitting';
  if (any('cancel_requested')) return 'cancel_requested';
  if (any('backordered')) return 'backordered';
  if (any('on_hold')) return 'on_hold';
  if (live.every((p) => p === 'accepted')) return 'accepted';
  return 'submitted';
}
