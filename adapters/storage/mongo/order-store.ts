import type { Collection, Db, Filter } from 'mongodb';
import { registryError } from '../../core/errors.ts';
import type { OrderPage, OrderRecord, OrderStore } from '../../../platform/ports/order-store.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { checkOrder, normalizeOrderFilter, orderSortKey } from '../order-keys.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoOrderStoreOptions {
  readonly db: Db;
  /** @default 'orders' */
  readonly collection?: string;
}

export interface MongoOrderStore extends OrderStore {
  ensureIndexes(): Promise<void>;
}

/** The stored document: the record plus its normalised createdAt, which sorts and range-filters as a string. */
interface OrderDoc extends OrderRecord {
  createdAtKey: string;
}

const PROJECTION = { _id: 0, createdAtKey: 0 } as const;

/**
 * OrderStore on a MongoDB-protocol server. Unique indexes (tenant, id) and (tenant, idempotencyKey) make a
 * concurrent double submit produce one order: the loser's insert fails with E11000 and it reads the winner back.
 */
export function createMongoOrderStore(options: MongoOrderStoreOptions): MongoOrderStore {
  const orders: Collection<OrderDoc> = options.db.collection<OrderDoc>(options.collection ?? 'orders');
  const read = (filter: Filter<OrderDoc>): Promise<OrderRecord | null> =>
    orders.findOne(filter, { projection: PROJECTION }) as Promise<OrderRecord | null>;

  return {
    async ensureIndexes() {
      await storeCall('orders.ensureIndexes', async () => {
        await orders.createIndex({ tenant: 1, id: 1 }, { name: 'tenant_id_unique', unique: true });
        await orders.createIndex({ tenant: 1, idempotencyKey: 1 }, { name: 'tenant_idempotency_key_unique', unique: true });
        await orders.createIndex({ tenant: 1, createdAtKey: -1, id: -1 }, { name: 'tenant_newest_first' });
        await orders.createIndex({ workflow: 1, createdAtKey: 1 }, { name: 'workflow_oldest_first' });
      });
    },

    async get(tenant, id) {
      return storeCall('orders.get', () => read({ tenant, id }));
    },

    async getByIdempotencyKey(tenant, idempotencyKey) {
      return storeCall('orders.getByIdempotencyKey', () => read({ tenant, idempotencyKey }));
    },

    async list(filter, first, after): Promise<OrderPage> {
      checkPageSize(first, 200);
      const cursor = after === null ? null : decodeCursor(after, 2);
      const f = normalizeOrderFilter(filter);
      const clauses: Filter<OrderDoc>[] = [{ tenant: f.tenant }];
      if (f.status !== undefined) clauses.push({ status: f.status });
      if (f.createdAfter !== undefined) clauses.push({ createdAtKey: { $gt: f.createdAfter } });
      if (f.createdBefore !== undefined) clauses.push({ createdAtKey: { $lt: f.createdBefore } });
      if (cursor !== null) {
        const [createdAtKey, id] = cursor as [string, string];
        clauses.push({ $or: [{ createdAtKey: { $lt: createdAtKey } }, { createdAtKey, id: { $lt: id } }] });
      }
      return storeCall('orders.list', async () => {
        const docs = (await orders
          .find({ $and: clauses }, { projection: PROJECTION })
          .sort({ createdAtKey: -1, id: -1 })
          .limit(first + 1)
          .toArray()) as OrderRecord[];
        const page = docs.slice(0, first);
        const last = page[page.length - 1];
        return { items: page, nextCursor: docs.length > first && last !== undefined ? encodeCursor(orderSortKey(last)) : null };
      });
    },

    async insert(order) {
      checkOrder(order);
      const doc: OrderDoc = { ...structuredClone(order), createdAtKey: orderSortKey(order)[0] };
      return storeCall('orders.insert', async () => {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          try {
            await orders.insertOne({ ...doc }); // a copy: the driver adds _id to the object it is given
            return { inserted: true as const };
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
          }
          const existing = await read({ tenant: order.tenant, idempotencyKey: order.idempotencyKey });
          if (existing !== null) return { inserted: false as const, existing };
          if ((await read({ tenant: order.tenant, id: order.id })) !== null) {
            throw registryError('INVALID_INPUT', 'An order with this id already exists under another idempotency key', {
              details: { tenant: order.tenant, id: order.id },
            });
          }
          // The conflicting order vanished (clear) before we could read it: try again.
        }
        throw registryError('STORE_FAILURE', `order insert ${order.id} kept colliding`, { operation: 'orders.insert' });
      });
    },

    async save(order) {
      checkOrder(order);
      const doc: OrderDoc = { ...structuredClone(order), createdAtKey: orderSortKey(order)[0] };
      await storeCall('orders.save', async () => {
        const result = await orders.replaceOne({ tenant: order.tenant, id: order.id }, doc);
        if (result.matchedCount === 0) throw registryError('NOT_FOUND', `No order ${order.id}`, { details: { id: order.id } });
      });
    },

    async listByWorkflow(workflow, limit) {
      return storeCall('orders.listByWorkflow', async () =>
        (await orders.find({ workflow }, { projection: PROJECTION }).sort({ createdAtKey: 1, id: 1 }).limit(limit).toArray()) as OrderRecord[],
      );
    },

    async clear() {
      return storeCall('orders.clear', async () => {
        await orders.deleteMany({});
      });
    },
  };
}
