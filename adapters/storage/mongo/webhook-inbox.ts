import type { Collection, Db } from 'mongodb';
import type { InboxEntry, InboxStatus, WebhookInbox } from '../../../platform/ports/webhook-inbox.ts';
import { inboxId } from '../../../platform/ports/webhook-inbox.ts';
import { isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoWebhookInboxOptions {
  readonly db: Db;
  /** @default 'webhook_inbox' */
  readonly collection?: string;
}

export interface MongoWebhookInbox extends WebhookInbox {
  ensureIndexes(): Promise<void>;
}

type InboxDoc = Omit<InboxEntry, 'id'> & { _id: string };

const COMPLETE_CONCURRENCY = 4;

const toEntry = ({ _id, ...rest }: InboxDoc): InboxEntry => ({ ...rest, id: _id });

/**
 * The webhook inbox on a MongoDB-protocol server. The dedupe is the insert itself: `_id` is supplier + delivery id
 * and (supplier, deliveryId) has its own unique index too, so of N concurrent receipts of one delivery exactly one
 * is recorded, on MongoDB and on FerretDB alike (whose conditional updates are not atomic: docs/testing.md).
 * Status changes after that are plain updates by `_id`: two processes finishing the same entry write the same
 * thing, and the processing they did is idempotent. No TTL index (FerretDB has none): the ingest's sweeper deletes
 * old entries.
 */
export function createMongoWebhookInbox(options: MongoWebhookInboxOptions): MongoWebhookInbox {
  const docs: Collection<InboxDoc> = options.db.collection<InboxDoc>(options.collection ?? 'webhook_inbox');

  return {
    async ensureIndexes() {
      await storeCall('webhookInbox.ensureIndexes', async () => {
        await docs.createIndex({ supplier: 1, deliveryId: 1 }, { name: 'supplier_delivery_unique', unique: true });
        await docs.createIndex({ status: 1, dueAt: 1 }, { name: 'status_due' });
        await docs.createIndex({ receivedAt: 1 }, { name: 'received_at' });
      });
    },

    async record(newEntry) {
      const id = inboxId(newEntry.supplier, newEntry.deliveryId);
      const doc: InboxDoc = { ...newEntry, signals: [...newEntry.signals], _id: id, status: 'pending', attempts: 0, note: null, processedAt: null };
      return storeCall('webhookInbox.record', async () => {
        try {
          await docs.insertOne({ ...doc });
          return { recorded: true, entry: toEntry(doc) };
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          const existing = await docs.findOne({ _id: id });
          // Swept between the refused insert and this read: still a duplicate of what we acknowledged before.
          return { recorded: false, entry: existing === null ? toEntry(doc) : toEntry(existing) };
        }
      });
    },

    async get(id) {
      return storeCall('webhookInbox.get', async () => {
        const doc = await docs.findOne({ _id: id });
        return doc === null ? null : toEntry(doc);
      });
    },

    async due(now, limit) {
      return storeCall('webhookInbox.due', async () =>
        (await docs.find({ status: 'pending', dueAt: { $lte: now } }).sort({ receivedAt: 1, _id: 1 }).limit(limit).toArray()).map(toEntry),
      );
    },

    async complete(ids, note, at) {
      // One update per _id rather than one `$in`: FerretDB answers `_id` equality from its primary key but scans the
      // whole collection for `$in` (measured: 5 ms vs 4.5 s for 50 ids in a 5,000-entry inbox). A few at a time:
      // a batch's worth of simultaneous writes to one SQLite file once wedged FerretDB for good.
      await storeCall('webhookInbox.complete', async () => {
        let next = 0;
        const lane = async () => {
          while (next < ids.length) await docs.updateOne({ _id: ids[next++]! }, { $set: { status: 'done', note, processedAt: at }, $inc: { attempts: 1 } });
        };
        await Promise.all(Array.from({ length: Math.min(COMPLETE_CONCURRENCY, ids.length) }, lane));
      });
    },

    async fail(id, error, retryAt, giveUp) {
      await storeCall('webhookInbox.fail', () =>
        docs.updateOne(
          { _id: id },
          { $set: { status: giveUp ? 'failed' : 'pending', note: error.slice(0, 500), dueAt: retryAt, processedAt: giveUp ? retryAt : null }, $inc: { attempts: 1 } },
        ),
      );
    },

    async sweep(before) {
      return storeCall('webhookInbox.sweep', async () => (await docs.deleteMany({ status: { $in: ['done', 'failed'] }, receivedAt: { $lt: before } })).deletedCount);
    },

    async countByStatus() {
      return storeCall('webhookInbox.countByStatus', async () => {
        const counts: Record<InboxStatus, number> = { pending: 0, done: 0, failed: 0 };
        for (const status of Object.keys(counts) as InboxStatus[]) counts[status] = await docs.countDocuments({ status });
        return counts;
      });
    },

    async clear() {
      await storeCall('webhookInbox.clear', () => docs.deleteMany({}));
    },
  };
}
