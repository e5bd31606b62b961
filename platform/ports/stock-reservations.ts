import type { ReservationItem, ReservationRecord } from './reservation-store.ts';

/**
 * Port: holding stock for an order, as the order workflow uses it. The inventory subgraph's reservation service
 * implements it (subgraphs/inventory/reservations.ts) and stack/ hands it to the orders domain, which never imports
 * inventory: the two can run, and change, apart.
 */

export interface ReservationCaller {
  readonly tenant: string;
  readonly idempotencyKey?: string | null;
}

export interface StockReservations {
  /**
   * Holds every item (per SKU and supplier, in (sku, supplier) order) for `ttlMs`, or none: when an item cannot be
   * held, the holds already taken are returned and the call fails (OUT_OF_STOCK, NOT_FOUND). With an idempotency key,
   * a repeated call returns the first call's reservation instead of reserving again.
   */
  reserveStock(items: readonly ReservationItem[], ttlMs: number, caller: ReservationCaller): Promise<ReservationRecord>;
  /** Returns the units. Idempotent; RESERVATION_NOT_HELD once committed. An expired reservation reads as expired. */
  releaseReservation(id: string, caller: ReservationCaller): Promise<ReservationRecord>;
  /** Moves the units from reserved to committed (for an order). Idempotent; RESERVATION_NOT_HELD unless held. */
  commitReservation(id: string, caller: ReservationCaller): Promise<ReservationRecord>;
  /**
   * Clears committed units as the order they were committed to ships or is cancelled: per item, `keep` says how
   * many units should stay committed (items not listed: none). Shipped units leave `committed` (the supplier's
   * on-hand drops by itself); cancelled or rejected units become available again. Exactly once per unit however
   * often it is called (the hold only shrinks to `keep`, in one single-row write); a no-op unless committed.
   */
  settleCommitted(id: string, caller: ReservationCaller, keep?: readonly ReservationItem[]): Promise<ReservationRecord>;
}
