import type { Collection, Db, Filter } from 'mongodb';
import { pageSize, type WebhookDeliveryLog, type WebhookDeliveryRecord } from '../../../platform/ports/webhook-delivery-log.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoWebhookDeliveryLogOptions {
  readonly db: Db;
  /** @default 'order_webhook_deliveries' */
  readonly collection?: string;
}

export interface MongoWebhookDeliveryLog extends WebhookDeliveryLog {
  ensureIndexes(): Promise<void>;
}

type DeliveryDoc = Omit<WebhookDeliveryRecord, 'id'> & { _id: string };

const toRecord = ({ _id, ...rest }: DeliveryDoc): WebhookDeliveryRecord => ({ ...rest, id: _id });
const toDoc = ({ id, ...rest }: WebhookDeliveryRecord): DeliveryDoc => ({ ...structuredClone(rest), _id: id });

/**
 * The delivery log on a MongoDB-protocol server. Every publish and attempt is a point operation on `_id` (the
 * webhook-id): an insert (a duplicate is refused atomically, so one event is recorded once even when two processes
 * publish it), a find and a replace by `_id` — the only filter FerretDB answers without scanning the collection.
 * The operator list and the start-up resume filter on other fields: scans on FerretDB, indexed on MongoDB.
 */
export function createMongoWebhookDeliveryLog(options: MongoWebhookDeliveryLogOptions): MongoWebhookDeliveryLog {
  const docs: Collection<DeliveryDoc> = options.db.collection<DeliveryDoc>(options.collection ?? 'order_webhook_deliveries');

  return {
    async ensureIndexes() {
      await storeCall('webhookDeliveries.ensureIndexes', async () => {
        await docs.createIndex({ tenant: 1, createdAt: -1 }, { name: 'tenant_newest_first' });
        await docs.createIndex({ state: 1, nextAttemptAt: 1 }, { name: 'state_due' });
      });
    },

    async create(record) {
      return storeCall('webhookDeliveries.create', async () => {
        try {
          await docs.insertOne(toDoc(record));
          return true;
        } catch (error) {
          if (isDuplicateKeyError(error)) return false;
          throw error;
        }
      });
    },

    async get(id) {
      return storeCall('webhookDeliveries.get', async () => {
        const doc = await docs.findOne({ _id: id });
        return doc === null ? null : toRecord(doc);
      });
    },

    async update(record) {
      await storeCall('webhookDeliveries.update', async () => {
        await docs.replaceOne({ _id: record.id }, toDoc(record), { upsert: true });
      });
    },

    async list(tenant, opts = {}) {
      const filter: Filter<DeliveryDoc> = {
        ...(tenant === null ? {} : { tenant }),
        ...(opts.state === undefined ? {} : { state: opts.state }),
      };
      return storeCall('webhookDeliveries.list', async () =>
        (await docs.find(filter).sort({ createdAt: -1, _id: -1 }).limit(pageSize(opts.limit)).toArray()).map(toRecord),
      );
    },

    async pending(limit) {
      return storeCall('webhookDeliveries.pending', async () =>
        (await docs.find({ state: 'pending' }).sort({ nextAttemptAt: 1, _id: 1 }).limit(Math.max(1, limit)).toArray()).map(toRecord),
      );
    },

    async clear() {
      await storeCall('webhookDeliveries.clear', async () => {
        await docs.deleteMany({});
      });
    },
  };
}
