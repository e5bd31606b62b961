import { randomUUID } from 'node:crypto';
import { registryError } from '../../kernel/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type {
  ReservationItem,
  ReservationOutcome,
  ReservationRecord,
  ReservationStore,
} from '../../platform/ports/reservation-store.ts';
import type { MutateResult } from '../../platform/ports/stock-store.ts';
import type { ReservationCaller, StockReservations } from '../../platform/ports/stock-reservations.ts';
import type { BufferPolicy } from './buffer-policy.ts';
import { normalizeItems, checkTtl, type ReservationLimits } from './reservation-input.ts';
import { commitHold, releaseHold, settleHold, takeHold } from './stock-holds.ts';
import type { StockUpdater } from './stock-updater.ts';

export interface ReservationServiceOptions {
  readonly reservations: ReservationStore;
  /** The one stock write path: every hold, release and commit goes through it (events, cache invalidation). */
  readonly updater: StockUpdater;
  readonly buffers: BufferPolicy;
  readonly log: Logger;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /**
   * How long past its expiry a reservation's released-before-taken refs stay refused on the stock rows. Must exceed
   * the longest a store may take between reading a row and writing the next version (the MongoDB store refuses
   * reads older than half its retention, 5 min by default). @default 3_600_000 (1 h)
   */
  readonly closedRefRetentionMs?: number;
  readonly limits?: Partial<ReservationLimits>;
}

export type { ReservationCaller };

export interface SweepSummary {
  readonly expired: number;
  /** Reservations whose outcome was settled earlier but whose stock side a crashed process left unfinished. */
  readonly finished: number;
  readonly failed: number;
}

/** The order workflow's port (StockReservations), plus what the inventory subgraph's own API and sweeper use. */
export interface ReservationService extends StockReservations {
  getReservation(id: string, caller: ReservationCaller): Promise<ReservationRecord | null>;
  /** Expires due reservations and finishes any a crashed process left half done. Safe to run in every process. */
  sweep(limit?: number): Promise<SweepSummary>;
}

/**
 * Reservations that never oversell, built on three race-safe primitives (see docs/inventory.md):
 * 1. each hold is a versioned single-row write keyed by the reservation id (stock-holds.ts), so taking,
 *    releasing and committing are exactly-once per row;
 * 2. the reservation document is written before the first hold, so the sweeper can always find and undo holds a
 *    crashed process left behind;
 * 3. how a reservation ends is settled by a first-writer-wins insert (ReservationStore.settle), so a commit
 *    racing a release or the sweeper ends one way only.
 */
export function createReservationService(options: ReservationServiceOptions): ReservationService {
  const { reservations, updater, buffers } = options;
  const log = options.log.child({ component: 'reservations' });
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const closedRetentionMs = options.closedRefRetentionMs ?? 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  /** Applies the stock side of an outcome to every item; idempotent, so any process may (re)run it. */
  async function finish(reservation: ReservationRecord, outcome: ReservationOutcome, items = reservation.items): Promise<void> {
    const closedUntil = iso(Math.max(now(), Date.parse(reservation.expiresAt)) + closedRetentionMs);
    for (const item of items) {
      const change = outcome === 'committed' ? commitHold(reservation.id) : releaseHold(reservation.id, closedUntil);
      const result = await updater.applyChange(item.sku, item.supplier, change, 'reservation');
      if (result.outcome === 'missing' || result.outcome === 'rejected') {
        log.warn({ reservation: reservation.id, sku: item.sku, supplier: item.supplier, outcome: result.outcome }, 'no stock row to settle a hold on');
      }
    }
    await reservations.markFinished(reservation.id);
  }

  const settled = (r: ReservationRecord, outcome: ReservationOutcome): ReservationRecord => ({
    ...r,
    state: outcome,
    settledAt: r.settledAt ?? iso(now()),
    finished: true,
  });

  const notHeld = (r: ReservationRecord, state: string) =>
    registryError('RESERVATION_NOT_HELD', `Reservation ${r.id} is ${state}`, { details: { id: r.id, state } });

  async function load(id: string, caller: ReservationCaller): Promise<ReservationRecord> {
    const found = await reservations.get(caller.tenant, id);
    if (found === null) throw registryError('NOT_FOUND', `No reservation ${id}`, { details: { id } });
    return found;
  }

  /** Settles `wanted` (first writer wins) and finishes whichever outcome holds. */
  async function settleAndFinish(r: ReservationRecord, wanted: ReservationOutcome): Promise<ReservationOutcome> {
    const outcome = await reservations.settle(r.id, wanted, iso(now()));
    await finish(r, outcome);
    return outcome;
  }

  /** Why a hold was refused, as the error the caller sees. */
  function holdError(result: MutateResult, item: ReservationItem, r: ReservationRecord): Error {
    const where = { sku: item.sku, supplier: item.supplier };
    if (result.outcome === 'missing') return registryError('NOT_FOUND', `No stock for ${item.sku} at ${item.supplier}`, { details: where });
    if (result.outcome === 'rejected' && result.reason === 'out_of_stock') {
      return registryError('OUT_OF_STOCK', `Only ${String(result.details?.available)} of ${item.sku} available at ${item.supplier}`, {
        details: { ...where, requested: item.quantity, available: result.details?.available },
      });
    }
    // Expired or released while its holds were still being taken.
    return notHeld(r, result.outcome === 'rejected' ? `${result.reason} before all holds were taken` : 'not held');
  }

  async function takeAll(r: ReservationRecord): Promise<void> {
    const attempted: ReservationItem[] = [];
    for (const item of r.items) {
      attempted.push(item);
      let result: MutateResult;
      try {
        result = await updater.applyChange(
          item.sku,
          item.supplier,
          takeHold({ ref: r.id, units: item.quantity, buffer: buffers.bufferFor(item.supplier, item.sku), deadline: r.expiresAt, now: () => iso(now()) }),
          'reservation',
        );
      } catch (error) {
        await compensate(r, attempted); // the failed write may have landed: undo it too (idempotent)
        throw error;
      }
      if (result.outcome === 'applied' || result.outcome === 'unchanged') continue;
      attempted.pop(); // refused: nothing was taken on this row
      await compensate(r, attempted);
      throw holdError(result, item, r);
    }
  }

  /** All-or-nothing: settle `failed` (or whatever won) and give back the holds taken so far. */
  async function compensate(r: ReservationRecord, taken: readonly ReservationItem[]): Promise<void> {
    try {
      const outcome = await reservations.settle(r.id, 'failed', iso(now()));
      // Only `committed` could keep holds, and commit needs `held`, which this reservation never reached.
      await finish(r, outcome === 'committed' ? 'failed' : outcome, taken);
    } catch (error) {
      // The reservation document stays unfinished: the sweeper undoes the holds after expiresAt.
      log.error({ err: error, reservation: r.id }, 'compensating a failed reservation failed; the sweeper will finish it');
    }
  }

  return {
    async reserveStock(items, ttlMs, caller) {
      const normalized = normalizeItems(items, options.limits);
      checkTtl(ttlMs, options.limits);
      const idempotencyKey = caller.idempotencyKey ?? null;
      if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
        throw registryError('INVALID_INPUT', 'idempotencyKey must be 1 to 200 characters');
      }
      const createdAt = now();
      const record: ReservationRecord = {
        id: newId(),
        tenant: caller.tenant,
        items: normalized,
        state: 'pending',
        expiresAt: iso(createdAt + ttlMs),
        createdAt: iso(createdAt),
        idempotencyKey,
        settledAt: null,
        finished: false,
      };
      // Written before the first hold: from here on the sweeper can find and undo whatever this call leaves.
      const created = await reservations.create(record);
      if (!created.created) {
        const existing = created.existing;
        if (JSON.stringify(existing.items) !== JSON.stringify(normalized)) {
          throw registryError('INVALID_INPUT', 'idempotencyKey was already used for a different reservation', { details: { id: existing.id } });
        }
        if (existing.state === 'failed') throw notHeld(existing, 'failed (retry with a new idempotency key)');
        return existing;
      }
      await takeAll(record);
      await reservations.markHeld(record.id);
      return { ...record, state: 'held' };
    },

    async releaseReservation(id, caller) {
      const r = await load(id, caller);
      if (r.state === 'committed') throw notHeld(r, 'committed');
      if (r.finished && r.state !== 'pending' && r.state !== 'held') return r;
      // Past expiresAt a reservation can only expire, whoever notices first.
      const wanted = r.state !== 'pending' && r.state !== 'held' ? r.state : now() >= Date.parse(r.expiresAt) ? 'expired' : 'released';
      const outcome = await settleAndFinish(r, wanted);
      if (outcome === 'committed') throw notHeld(r, 'committed');
      return settled(r, outcome);
    },

    async commitReservation(id, caller) {
      const r = await load(id, caller);
      if (r.state === 'committed') {
        if (!r.finished) await finish(r, 'committed');
        return { ...r, finished: true };
      }
      if (r.state !== 'held') {
        if (r.state !== 'pending' && !r.finished) await finish(r, r.state);
        throw notHeld(r, r.state);
      }
      const wanted = now() >= Date.parse(r.expiresAt) ? 'expired' : 'committed';
      const outcome = await settleAndFinish(r, wanted);
      if (outcome !== 'committed') throw notHeld(r, outcome);
      return settled(r, outcome);
    },

    async settleCommitted(id, caller, keep = []) {
      for (const k of keep) {
        if (!Number.isInteger(k.quantity) || k.quantity < 0) throw registryError('INVALID_INPUT', 'units to keep committed must be integers ≥ 0', { details: { sku: k.sku, supplier: k.supplier } });
      }
      const r = await load(id, caller);
      // Expired, released or failed before the order was acknowledged: nothing was committed, nothing to clear.
      if (r.state !== 'committed') return r;
      // The commit's own stock side first: a hold still `reserved` would not be settled, and a commit finishing
      // after the settlement would only find the hold gone (a no-op), so the order is what matters.
      if (!r.finished) await finish(r, 'committed');
      for (const item of r.items) {
        const units = keep.find((k) => k.sku === item.sku && k.supplier === item.supplier)?.quantity ?? 0;
        const result = await updater.applyChange(item.sku, item.supplier, settleHold(r.id, units), 'reservation');
        if (result.outcome === 'missing') log.warn({ reservation: r.id, sku: item.sku, supplier: item.supplier }, 'no stock row to settle a committed hold on');
      }
      return { ...r, finished: true };
    },

    async getReservation(id, caller) {
      return reservations.get(caller.tenant, id);
    },

    async sweep(limit = 100) {
      let expired = 0;
      let finished = 0;
      let failed = 0;
      for (const r of await reservations.listDue(iso(now()), limit)) {
        try {
          if (r.state === 'pending' || r.state === 'held') {
            const outcome = await settleAndFinish(r, 'expired');
            if (outcome === 'expired') expired += 1;
            else finished += 1;
          } else {
            await finish(r, r.state);
            finished += 1;
          }
        } catch (error) {
          failed += 1;
          log.error({ err: error, reservation: r.id }, 'sweeping a reservation failed; the next sweep retries');
        }
      }
      return { expired, finished, failed };
    },
  };
}
