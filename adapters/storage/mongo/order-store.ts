import type { Collection, Db, Filter } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import { orderNeedsAttention, subOrderByRef, type OrderPage, type OrderRecord, type OrderStore, type SupplierOrderRef } from '../../../platform/ports/order-store.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { MAX_WORKFLOW_PAGE, checkOrder, normalizeOrderFilter, orderSortKey, workflowSortKey } from '../order-keys.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoOrderStoreOptions {
  readonly db: Db;
  /** @default 'orders'; the idempotency-key pointers live in `<collection>_idempotency_keys`. */
  readonly collection?: string;
}

export interface MongoOrderStore extends OrderStore {
  ensureIndexes(): Promise<void>;
}

/** The stored document: the record keyed by `<tenant>\0<id>`, plus its normalised createdAt (sorts as a string). */
interface OrderDoc extends OrderRecord {
  _id: string;
  createdAtKey: string;
}

/** Where a tenant's idempotency key points: `_id` `<tenant>\0<idempotencyKey>`. A lookup aid, not the arbiter. */
interface KeyDoc {
  _id: string;
  orderId: string;
}

const PROJECTION = { _id: 0, createdAtKey: 0 } as const;

/** A stored order as a record: documents written before the version counter read as the epoch ms of updatedAt. */
function fromDoc(doc: OrderRecord | null): OrderRecord | null {
  if (doc === null) return null;
  return typeof doc.version === 'number' ? doc : { ...doc, version: Date.parse(doc.updatedAt) };
}
const fromDocs = (docs: OrderRecord[]): OrderRecord[] => docs.map((d) => fromDoc(d)!);
const orderDocId = (tenant: string, id: string): string => `${tenant}\u0000${id}`;
const keyDocId = (tenant: string, idempotencyKey: string): string => `${tenant}\u0000${idempotencyKey}`;
const refDocId = (supplier: string, kind: 'sid' | 'key', value: string): string => `${supplier}\u0000${kind}\u0000${value}`;

/** A supplier reference pointer: which order carries it. */
interface RefDoc {
  _id: string;
  tenant: string;
  orderId: string;
}
/** A tenant without NUL keeps `<tenant>\0<rest>` unambiguous (split at the first NUL). */
const nulFree = (tenant: string): boolean => !tenant.includes('\u0000');

function toDoc(order: OrderRecord): OrderDoc {
  checkOrder(order);
  if (!nulFree(order.tenant)) throw registryError('INVALID_INPUT', 'A tenant may not contain NUL', { details: { field: 'tenant' } });
  return { ...structuredClone(order), _id: orderDocId(order.tenant, order.id), createdAtKey: orderSortKey(order)[0] };
}

/**
 * OrderStore on a MongoDB-protocol server.
 *
 * Why `_id` is `<tenant>\0<id>`: a placement reads and replaces its order about ten times, and FerretDB 1.24 (the
 * test server) pushes down only a filter that is exactly `{_id}`; `{tenant, id}` was a full collection scan on every
 * save (~0.25 ms per stored order). Every per-order operation here is now a point operation by `_id`; only the
 * listing queries (`list`, `listByWorkflow`, off the placement path) filter on other fields.
 *
 * Idempotency keys: the unique index (tenant, idempotencyKey) on the orders is the one arbiter (a unique-index
 * insert is atomic on both servers; conditional updates are not on FerretDB): of concurrent first submits exactly
 * one insert succeeds and the losers read the winner back. To find an order by its key without a scan, each key
 * has a pointer document (`<collection>_idempotency_keys`, `_id` `<tenant>\0<key>`) written BEFORE the order, so
 * "no pointer ⇒ no order under that key" and a new key costs one point read. A pointer may name a submit that then
 * lost the race (or died before inserting): a read checks that the order it names carries the key and otherwise
 * falls back to a scan of the orders (rare) and repairs the pointer; the winner also rewrites the pointer after
 * its insert. Every pointer write after the first therefore writes the truth, so last-writer-wins is safe.
 *
 * `save` replaces the whole document by `_id`, last writer wins: not conditional on a revision, by design (the order
 * service serialises writes to one order per process and every workflow step is idempotent; docs/orders.md). The
 * stored `version` is the saved copy's (the workflow's save path sets it to the version it read + 1): two processes
 * saving from the same read both store the same version, and the last one's content stands under it.
 *
 * Supplier references: each sub-order's supplier order id and our key on it get a pointer document
 * (`<collection>_supplier_refs`, `_id` `<supplier>\0sid|key\0<value>` → tenant and order id), written BEFORE the
 * save or insert that first carries them, so supplier webhooks find their order by `_id` instead of scanning open
 * orders. A reference never changes once set, so a pointer is written once per process (remembered) and repeated
 * writes by other processes write the same thing. A pointer whose order does not carry the reference (the save
 * failed after the pointer) reads as absent.
 *
 * Documents of the earlier layout (ObjectId `_id`, looked up by `{tenant, id}`) are not read: the layout changed
 * before any deployment held orders.
 */
export function createMongoOrderStore(options: MongoOrderStoreOptions): MongoOrderStore {
  const name = options.collection ?? 'orders';
  const orders: Collection<OrderDoc> = options.db.collection<OrderDoc>(name);
  const keys: Collection<KeyDoc> = options.db.collection<KeyDoc>(`${name}_idempotency_keys`);
  const refs: Collection<RefDoc> = options.db.collection<RefDoc>(`${name}_supplier_refs`);
  // Pointers this process already wrote; bounded (forgetting one only costs a repeated idempotent write).
  const pointed = new Set<string>();

  async function pointRefs(order: OrderRecord): Promise<void> {
    for (const sub of order.subOrders ?? []) {
      const ids = [refDocId(sub.supplier, 'key', sub.idempotencyKey)];
      if (sub.supplierOrderId !== null) ids.push(refDocId(sub.supplier, 'sid', sub.supplierOrderId));
      for (const _id of ids) {
        if (pointed.has(_id)) continue;
        try {
          await refs.replaceOne({ _id }, { tenant: order.tenant, orderId: order.id }, { upsert: true });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error; // two first upserts: the other wrote the same pointer
        }
        if (pointed.size >= 100_000) pointed.clear();
        pointed.add(_id);
      }
    }
  }

  async function bySupplierRef(supplier: string, ref: SupplierOrderRef): Promise<OrderRecord | null> {
    const ids = [
      ...(ref.supplierOrderId === null ? [] : [refDocId(supplier, 'sid', ref.supplierOrderId)]),
      ...(ref.reference === null ? [] : [refDocId(supplier, 'key', ref.reference)]),
    ];
    for (const _id of ids) {
      const pointer = await refs.findOne({ _id });
      if (pointer === null) continue;
      const order = await byId(pointer.tenant, pointer.orderId);
      if (order !== null && subOrderByRef(order, supplier, ref) !== undefined) return order;
    }
    return null;
  }

  const byId = async (tenant: string, id: string): Promise<OrderRecord | null> =>
    fromDoc((await orders.findOne({ _id: orderDocId(tenant, id) }, { projection: PROJECTION })) as OrderRecord | null);

  /** The pointer now names the order that holds the key. Concurrent repairers all write the same truth. */
  async function pointKey(tenant: string, idempotencyKey: string, orderId: string): Promise<void> {
    try {
      await keys.replaceOne({ _id: keyDocId(tenant, idempotencyKey) }, { orderId }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error; // two upserts both inserted: the other wrote the same pointer
    }
  }

  async function byKey(tenant: string, idempotencyKey: string): Promise<OrderRecord | null> {
    const pointer = await keys.findOne({ _id: keyDocId(tenant, idempotencyKey) });
    if (pointer === null) return null; // pointers are written before orders: none means no order
    const named = await byId(tenant, pointer.orderId);
    if (named !== null && named.idempotencyKey === idempotencyKey) return named;
    // The pointer names a submit that lost its race, died before inserting, or is still inserting: ask the orders.
    const holder = fromDoc((await orders.findOne({ tenant, idempotencyKey }, { projection: PROJECTION })) as OrderRecord | null);
    if (holder !== null) await pointKey(tenant, idempotencyKey, holder.id);
    return holder;
  }

  return {
    async ensureIndexes() {
      await storeCall('orders.ensureIndexes', async () => {
        // `_id` already makes (tenant, id) unique; the index keeps the guarantee explicit for any other writer.
        await orders.createIndex({ tenant: 1, id: 1 }, { name: 'tenant_id_unique', unique: true });
        await orders.createIndex({ tenant: 1, idempotencyKey: 1 }, { name: 'tenant_idempotency_key_unique', unique: true });
        await orders.createIndex({ tenant: 1, createdAtKey: -1, id: -1 }, { name: 'tenant_newest_first' });
        // Keyset paging of the resume and tracking loops: (workflow, createdAtKey, _id), _id being `<tenant>\0<id>`.
        await orders.createIndex({ workflow: 1, createdAtKey: 1, _id: 1 }, { name: 'workflow_oldest_first_keyset' });
      });
    },

    async get(tenant, id) {
      if (!nulFree(tenant)) return null;
      return storeCall('orders.get', () => byId(tenant, id));
    },

    async getByIdempotencyKey(tenant, idempotencyKey) {
      if (!nulFree(tenant)) return null;
      return storeCall('orders.getByIdempotencyKey', () => byKey(tenant, idempotencyKey));
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
        const docs = fromDocs(
          (await orders
            .find({ $and: clauses }, { projection: PROJECTION })
            .sort({ createdAtKey: -1, id: -1 })
            .limit(first + 1)
            .toArray()) as OrderRecord[],
        );
        const page = docs.slice(0, first);
        const last = page[page.length - 1];
        return { items: page, nextCursor: docs.length > first && last !== undefined ? encodeCursor(orderSortKey(last)) : null };
      });
    },

    async insert(order) {
      const doc = toDoc(order);
      return storeCall('orders.insert', async () => {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          // The pointer first (see above); a duplicate means someone pointed the key already, maybe at a loser.
          let pointed = true;
          try {
            await keys.insertOne({ _id: keyDocId(order.tenant, order.idempotencyKey), orderId: order.id });
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
            pointed = false;
          }
          try {
            await pointRefs(order);
            await orders.insertOne({ ...doc });
            if (!pointed) await pointKey(order.tenant, order.idempotencyKey, order.id); // we hold the key now
            return { inserted: true as const };
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
          }
          const existing = await byKey(order.tenant, order.idempotencyKey);
          if (existing !== null) return { inserted: false as const, existing };
          if ((await byId(order.tenant, order.id)) !== null) {
            // Our pointer (if we wrote it) names an order under another key: reads see the mismatch and ignore it.
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
      const doc = toDoc(order);
      await storeCall('orders.save', async () => {
        await pointRefs(order); // before the order that carries them: a stored reference always has its pointer
        const result = await orders.replaceOne({ _id: doc._id }, doc);
        if (result.matchedCount === 0) throw registryError('NOT_FOUND', `No order ${order.id}`, { details: { id: order.id } });
      });
    },

    async findBySupplierRef(supplier, ref) {
      return storeCall('orders.findBySupplierRef', () => bySupplierRef(supplier, ref));
    },

    async listByWorkflow(workflow, first, after = null) {
      checkPageSize(first, MAX_WORKFLOW_PAGE);
      const cursor = after === null ? null : decodeCursor(after, 3);
      const filter: Filter<OrderDoc> =
        cursor === null
          ? { workflow }
          : { workflow, $or: [{ createdAtKey: { $gt: cursor[0]! } }, { createdAtKey: cursor[0]!, _id: { $gt: orderDocId(cursor[1]!, cursor[2]!) } }] };
      return storeCall('orders.listByWorkflow', async () => {
        const docs = fromDocs((await orders.find(filter, { projection: PROJECTION }).sort({ createdAtKey: 1, _id: 1 }).limit(first + 1).toArray()) as OrderRecord[]);
        const page = docs.slice(0, first);
        const last = page[page.length - 1];
        return { items: page, nextCursor: docs.length > first && last !== undefined ? encodeCursor(workflowSortKey(last)) : null };
      });
    },

    async listNeedingAttention(first, tenant) {
      checkPageSize(first, 200);
      if (tenant !== undefined && !nulFree(tenant)) return [];
      // A superset by query (FerretDB has no $elemMatch over fields: a failed sub-order's lastError also matches),
      // narrowed by orderNeedsAttention, the one rule both stores share, while the cursor streams newest first.
      const filter: Filter<OrderDoc> = {
        ...(tenant === undefined ? {} : { tenant }),
        status: { $ne: 'cancelled' },
        $or: [{ 'lines.needsAttention': { $type: 'string' } }, { 'subOrders.lastError': { $type: 'string' } }],
      };
      return storeCall('orders.listNeedingAttention', async () => {
        const found: OrderRecord[] = [];
        for await (const doc of orders.find(filter, { projection: PROJECTION }).sort({ updatedAt: -1, _id: 1 })) {
          const order = fromDoc(doc as OrderRecord)!;
          if (orderNeedsAttention(order)) found.push(order);
          if (found.length >= first) break;
        }
        return found;
      });
    },

    async clear() {
      return storeCall('orders.clear', async () => {
        await orders.deleteMany({});
        await keys.deleteMany({});
        await refs.deleteMany({});
        pointed.clear();
      });
    },
  };
}
