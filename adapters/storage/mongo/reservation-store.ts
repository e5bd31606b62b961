import type { Collection, Db } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import type {
  NewReservation,
  ReservationOutcome,
  ReservationRecord,
  ReservationStore,
} from '../../../platform/ports/reservation-store.ts';
import { checkNewReservation } from '../reservation-keys.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoReservationStoreOptions {
  readonly db: Db;
  /** @default 'reservations' */
  readonly collection?: string;
  /** @default 'reservation_outcomes' */
  readonly outcomesCollection?: string;
}

export interface MongoReservationStore extends ReservationStore {
  ensureIndexes(): Promise<void>;
}

/**
 * The stored reservation. `idemKey` is the idempotency key, or the sentinel `none:<id>` when there is none: the
 * test server has no partial indexes and MongoDB counts every missing field as one null, so a plain unique index
 * only behaves the same on both when the field is always present (as with products' gtinKey).
 */
interface ReservationDoc extends NewReservation {
  /** The reservation id: FerretDB looks documents up by `_id` directly and scans the collection for anything else. */
  _id: string;
  idemKey: string;
  held: boolean;
  finished: boolean;
}

interface OutcomeDoc {
  /** The reservation id, so the first insert wins by the one index every server keeps unique. */
  _id: string;
  reservationId: string;
  outcome: ReservationOutcome;
  at: string;
}

const DOC_PROJECTION = { _id: 0, idemKey: 0 } as const;
type StoredReservation = Omit<ReservationDoc, '_id' | 'idemKey'>;

/**
 * ReservationStore on a MongoDB-protocol server. The outcome of each reservation is a document of its own in
 * `reservation_outcomes` whose `_id` is the reservation id: settling is an insert, and the first insert wins on
 * MongoDB and on FerretDB alike. `held` and `finished` are plain updates that only ever go one way; losing one
 * to a concurrent update (FerretDB replaces whole documents) costs at most a repeated, idempotent sweep, because a
 * settled outcome always overrides `held` when the state is read.
 */
export function createMongoReservationStore(options: MongoReservationStoreOptions): MongoReservationStore {
  const docs: Collection<ReservationDoc> = options.db.collection<ReservationDoc>(options.collection ?? 'reservations');
  const outcomes: Collection<OutcomeDoc> = options.db.collection<OutcomeDoc>(options.outcomesCollection ?? 'reservation_outcomes');

  async function withOutcomes(found: StoredReservation[]): Promise<ReservationRecord[]> {
    if (found.length === 0) return [];
    const settled =
      found.length === 1
        ? [await outcomes.findOne({ _id: found[0]!.id })].filter((o): o is OutcomeDoc => o !== null)
        : await outcomes.find({ _id: { $in: found.map((d) => d.id) } }).toArray();
    const byId = new Map(settled.map((o) => [o.reservationId, o]));
    return found.map((d) => {
      const { held, finished, ...rest } = d;
      const outcome = byId.get(d.id);
      return { ...rest, state: outcome?.outcome ?? (held ? 'held' : 'pending'), settledAt: outcome?.at ?? null, finished };
    });
  }

  const readOne = async (filter: Partial<ReservationDoc>): Promise<ReservationRecord | null> => {
    const doc = (await docs.findOne(filter, { projection: DOC_PROJECTION })) as StoredReservation | null;
    return doc === null ? null : ((await withOutcomes([doc]))[0] ?? null);
  };

  return {
    async ensureIndexes() {
      await storeCall('reservations.ensureIndexes', async () => {
        // The id is `_id`, unique everywhere; outcomes likewise.
        await docs.createIndex({ tenant: 1, idemKey: 1 }, { name: 'tenant_idempotency_key_unique', unique: true });
        await docs.createIndex({ finished: 1, expiresAt: 1 }, { name: 'unfinished_by_expiry' });
      });
    },

    async create(reservation) {
      checkNewReservation(reservation);
      const doc: ReservationDoc = {
        ...structuredClone(reservation),
        _id: reservation.id,
        idemKey: reservation.idempotencyKey ?? `none:${reservation.id}`,
        held: false,
        finished: false,
      };
      return storeCall('reservations.create', async () => {
        try {
          await docs.insertOne(doc);
          return { created: true as const };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        // Without a key the sentinel contains the id, so a conflict can only be the id itself.
        const existing = reservation.idempotencyKey === null ? null : await readOne({ tenant: reservation.tenant, idemKey: doc.idemKey });
        if (existing !== null) return { created: false as const, existing };
        throw registryError('INVALID_INPUT', 'A reservation with this id already exists', { details: { id: reservation.id } });
      });
    },

    async get(tenant, id) {
      return storeCall('reservations.get', () => readOne({ _id: id, tenant }));
    },

    async markHeld(id) {
      await storeCall('reservations.markHeld', () => docs.updateOne({ _id: id }, { $set: { held: true } }));
    },

    async settle(id, outcome, at) {
      return storeCall('reservations.settle', async () => {
        try {
          await outcomes.insertOne({ _id: id, reservationId: id, outcome, at });
          return outcome;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
        const winner = await outcomes.findOne({ _id: id });
        if (winner === null) throw registryError('STORE_FAILURE', `reservation outcome ${id} vanished after a conflict`, { operation: 'reservations.settle' });
        return winner.outcome;
      });
    },

    async markFinished(id) {
      await storeCall('reservations.markFinished', () => docs.updateOne({ _id: id }, { $set: { finished: true } }));
    },

    async listDue(now, limit) {
      return storeCall('reservations.listDue', async () => {
        const found = (await docs
          .find({ finished: false, expiresAt: { $lte: now } }, { projection: DOC_PROJECTION })
          .sort({ expiresAt: 1 })
          .limit(limit)
          .toArray()) as StoredReservation[];
        return withOutcomes(found);
      });
    },

    async purgeEnded(before, limit) {
      return storeCall('reservations.purgeEnded', async () => {
        // A background scan (FerretDB scans any filter but _id); the deletes are by _id. The document goes first:
        // an outcome left behind by a crash here is harmless and deleted with its document next time.
        const found = (await docs
          .find({ finished: true, expiresAt: { $lt: before } }, { projection: DOC_PROJECTION })
          .limit(limit * 4)
          .toArray()) as StoredReservation[];
        let purged = 0;
        for (const record of await withOutcomes(found)) {
          if (purged >= limit) break;
          if (record.state !== 'released' && record.state !== 'expired' && record.state !== 'failed') continue;
          await docs.deleteOne({ _id: record.id });
          await outcomes.deleteOne({ _id: record.id });
          purged += 1;
        }
        return purged;
      });
    },

    async clear() {
      await storeCall('reservations.clear', async () => {
        await docs.deleteMany({});
        await outcomes.deleteMany({});
      });
    },
  };
}
