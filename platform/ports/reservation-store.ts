/**
 * Port: reservation documents. The units themselves are held on the stock rows (StockStore holds, keyed by the
 * reservation id); this store records what was asked for and settles how each reservation ended.
 *
 * Final transitions are decided by `settle`, a first-writer-wins insert (a unique index on MongoDB), never by a
 * conditional update: the MongoDB-protocol test server applies those non-atomically (docs/testing.md). So a commit
 * racing the sweeper ends either committed or expired, never both.
 */

export interface ReservationItem {
  readonly sku: string;
  readonly supplier: string;
  readonly quantity: number;
}

/** How a reservation ended. `failed`: reserveStock could not take every hold and undid the ones it took. */
export type ReservationOutcome = 'released' | 'committed' | 'expired' | 'failed';

/** `pending`: holds are being taken; `held`: every hold was taken and none released yet. */
export type ReservationState = 'pending' | 'held' | ReservationOutcome;

export interface ReservationRecord {
  readonly id: string;
  readonly tenant: string;
  /** One item per (sku, supplier), sorted by (sku, supplier): the order holds are taken in. */
  readonly items: readonly ReservationItem[];
  /** The settled outcome when there is one, else `held` or `pending`. */
  readonly state: ReservationState;
  /** ISO 8601. After this instant the reservation can only expire. */
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly idempotencyKey: string | null;
  /** When the outcome was settled (ISO 8601); null while held or pending. */
  readonly settledAt: string | null;
  /**
   * True once the stock side of the outcome is done (holds released or moved to committed). Until then the
   * sweeper finishes it, so a process dying half-way through leaks nothing.
   */
  readonly finished: boolean;
}

export interface NewReservation {
  readonly id: string;
  readonly tenant: string;
  readonly items: readonly ReservationItem[];
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly idempotencyKey: string | null;
}

export interface ReservationStore {
  /**
   * Stores a new reservation in state `pending`. When the tenant already has one under the same idempotency key,
   * stores nothing and returns that one.
   */
  create(reservation: NewReservation): Promise<{ readonly created: true } | { readonly created: false; readonly existing: ReservationRecord }>;
  /** Null when absent or owned by another tenant. */
  get(tenant: string, id: string): Promise<ReservationRecord | null>;
  /** Marks every hold taken (`pending` → `held`); no effect once an outcome is settled. */
  markHeld(id: string): Promise<void>;
  /**
   * Settles the outcome, first writer wins: returns the outcome that holds now — `outcome` if this call won,
   * else the one settled earlier.
   */
  settle(id: string, outcome: ReservationOutcome, at: string): Promise<ReservationOutcome>;
  /** Records that the outcome's stock side is done. Idempotent. */
  markFinished(id: string): Promise<void>;
  /** Unfinished reservations with `expiresAt` ≤ `now`, oldest first, at most `limit`. */
  listDue(now: string, limit: number): Promise<ReservationRecord[]>;
  /**
   * Retention: deletes at most `limit` reservations that ended without an order — released, expired or failed,
   * finished, with `expiresAt` before `before` — with their outcomes, and returns how many. Committed ones are kept:
   * their order settles them at shipment. After deletion the id reads as absent and its idempotency key is free.
   */
  purgeEnded(before: string, limit: number): Promise<number>;
  clear(): Promise<void>;
}
