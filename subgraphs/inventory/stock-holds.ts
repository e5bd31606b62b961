import type { StockChange, StockState } from '../../platform/ports/stock-store.ts';

/**
 * The changes a reservation makes to a stock row, as pure functions of the row's state (StockStore.mutate
 * may run them several times). Each is keyed by `ref`, the reservation id, and recorded in the row's hold ledger
 * in the same single-document write as the counters, so each happens exactly once however often it is attempted,
 * by whichever process (reserver, releaser, sweeper).
 */

const sellable = (s: StockState, buffer: number): number =>
  Math.max(0, s.record.onHand - s.record.reserved - s.record.committed - buffer);

export interface TakeHold {
  readonly ref: string;
  readonly units: number;
  /** The buffer policy's figure for this row now; the hold sets it on the row, so it is never sold. */
  readonly buffer: number;
  /** The reservation's expiresAt (ISO 8601): no hold is taken from then on. */
  readonly deadline: string;
  /** The current instant (ISO 8601), read on every attempt. */
  readonly now: () => string;
}

/** Takes `units` for `ref` if they are sellable; refuses a ref already released (a late, crashed or slow reserver). */
export const takeHold = (t: TakeHold) => (s: StockState): StockChange => {
  if (s.holds.some((h) => h.ref === t.ref)) return { set: {} }; // taken by an earlier attempt whose answer we lost
  if (s.closed.some((c) => c.ref === t.ref)) return { reject: 'closed' };
  if (t.now() >= t.deadline) return { reject: 'expired' };
  const available = sellable(s, t.buffer);
  if (available < t.units) return { reject: 'out_of_stock', details: { available, requested: t.units } };
  return {
    set: {
      reserved: s.record.reserved + t.units,
      buffer: t.buffer,
      holds: [...s.holds, { ref: t.ref, units: t.units, state: 'reserved' }],
    },
  };
};

/**
 * Returns a held ref's units. A ref with no hold on the row is remembered as closed until `closedUntil`, so a
 * reserver still working on it cannot take it afterwards. A committed hold is left alone: it belongs to an order.
 */
export const releaseHold = (ref: string, closedUntil: string) => (s: StockState): StockChange => {
  const hold = s.holds.find((h) => h.ref === ref);
  if (hold === undefined) {
    if (s.closed.some((c) => c.ref === ref)) return { set: {} };
    return { set: { closed: [...s.closed, { ref, until: closedUntil }] } };
  }
  if (hold.state !== 'reserved') return { set: {} };
  return {
    set: {
      // Never below zero, even if the counter was edited by hand: the ledger is the record of what we hold.
      reserved: Math.max(0, s.record.reserved - hold.units),
      holds: s.holds.filter((h) => h.ref !== ref),
    },
  };
};

/** Moves a held ref's units from reserved to committed; a no-op when already moved (or never held). */
export const commitHold = (ref: string) => (s: StockState): StockChange => {
  const hold = s.holds.find((h) => h.ref === ref);
  if (hold === undefined || hold.state !== 'reserved') return { set: {} };
  return {
    set: {
      reserved: Math.max(0, s.record.reserved - hold.units),
      committed: s.record.committed + hold.units,
      holds: s.holds.map((h) => (h.ref === ref ? { ...h, state: 'committed' as const } : h)),
    },
  };
};

/**
 * Settles a committed ref down to `keep` units: the units its order shipped (the supplier's on-hand drops by
 * itself) or cancelled (they become available again) leave `committed`. `keep` is what should still be committed,
 * computed from the supplier's cumulative figures, never a delta: applying it twice, or an older figure after a
 * newer one, changes nothing (the hold only ever shrinks). At 0 the hold leaves the ledger. A ref not committed
 * here (never held, still only reserved, or already settled) is left alone.
 */
export const settleHold = (ref: string, keep: number) => (s: StockState): StockChange => {
  const hold = s.holds.find((h) => h.ref === ref);
  if (hold === undefined || hold.state !== 'committed') return { set: {} };
  const kept = Math.max(0, Math.min(hold.units, Math.floor(keep)));
  if (kept === hold.units) return { set: {} };
  return {
    set: {
      committed: Math.max(0, s.record.committed - (hold.units - kept)),
      holds: kept === 0 ? s.holds.filter((h) => h.ref !== ref) : s.holds.map((h) => (h.ref === ref ? { ...h, units: kept } : h)),
    },
  };
};
