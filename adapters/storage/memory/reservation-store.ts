import { registryError } from '../../../kernel/errors.ts';
import type { NewReservation, ReservationOutcome, ReservationRecord, ReservationStore } from '../../../platform/ports/reservation-store.ts';
import { checkNewReservation } from '../reservation-keys.ts';

interface Entry {
  readonly reservation: NewReservation;
  held: boolean;
  finished: boolean;
}

/**
 * The embedded ReservationStore, with the MongoDB store's keys: unique id, unique (tenant, idempotency key), and one
 * outcome per reservation (first writer wins). Records are copied in and out.
 */
export function createMemoryReservationStore(): ReservationStore {
  const entries = new Map<string, Entry>(); // id -> entry
  const byKey = new Map<string, string>(); // tenant \0 idempotency key -> id
  const outcomes = new Map<string, { outcome: ReservationOutcome; at: string }>();
  const keyOf = (tenant: string, key: string) => `${tenant}\u0000${key}`;

  const view = (entry: Entry): ReservationRecord => {
    const settled = outcomes.get(entry.reservation.id);
    return {
      ...structuredClone(entry.reservation),
      state: settled?.outcome ?? (entry.held ? 'held' : 'pending'),
      settledAt: settled?.at ?? null,
      finished: entry.finished,
    };
  };

  return {
    async create(reservation) {
      checkNewReservation(reservation);
      if (reservation.idempotencyKey !== null) {
        const existingId = byKey.get(keyOf(reservation.tenant, reservation.idempotencyKey));
        if (existingId !== undefined) return { created: false, existing: view(entries.get(existingId)!) };
      }
      if (entries.has(reservation.id)) {
        throw registryError('INVALID_INPUT', 'A reservation with this id already exists', { details: { id: reservation.id } });
      }
      entries.set(reservation.id, { reservation: structuredClone(reservation), held: false, finished: false });
      if (reservation.idempotencyKey !== null) byKey.set(keyOf(reservation.tenant, reservation.idempotencyKey), reservation.id);
      return { created: true };
    },

    async get(tenant, id) {
      const entry = entries.get(id);
      return entry === undefined || entry.reservation.tenant !== tenant ? null : view(entry);
    },

    async markHeld(id) {
      const entry = entries.get(id);
      if (entry !== undefined) entry.held = true;
    },

    async settle(id, outcome, at) {
      const existing = outcomes.get(id);
      if (existing !== undefined) return existing.outcome;
      outcomes.set(id, { outcome, at });
      return outcome;
    },

    async markFinished(id) {
      const entry = entries.get(id);
      if (entry !== undefined) entry.finished = true;
    },

    async listDue(now, limit) {
      return [...entries.values()]
        .filter((e) => !e.finished && e.reservation.expiresAt <= now)
        .sort((a, b) => (a.reservation.expiresAt < b.reservation.expiresAt ? -1 : a.reservation.expiresAt > b.reservation.expiresAt ? 1 : 0))
        .slice(0, limit)
        .map(view);
    },

    async purgeEnded(before, limit) {
      let purged = 0;
      for (const [id, entry] of entries) {
        if (purged >= limit) break;
        const outcome = outcomes.get(id)?.outcome;
        if (!entry.finished || outcome === undefined || outcome === 'committed' || entry.reservation.expiresAt >= before) continue;
        entries.delete(id);
        outcomes.delete(id);
        const key = entry.reservation.idempotencyKey;
        if (key !== null) byKey.delete(keyOf(entry.reservation.tenant, key));
        purged += 1;
      }
      return purged;
    },

    async clear() {
      entries.clear();
      byKey.clear();
      outcomes.clear();
    },
  };
}
