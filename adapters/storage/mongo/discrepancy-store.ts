import type { Collection, Db } from 'mongodb';
import type { DiscrepancyRecord, DiscrepancyStore, ReconciliationRun } from '../../../platform/ports/discrepancy-store.ts';
import { checkPageSize, decodeCursor, encodeCursor } from '../cursor.ts';
import { storeCall } from './mongo-errors.ts';

export interface MongoDiscrepancyStoreOptions {
  readonly db: Db;
  /** @default 'stock_discrepancies' */
  readonly collection?: string;
  /** @default 'reconciliation_runs' */
  readonly runsCollection?: string;
}

export interface MongoDiscrepancyStore extends DiscrepancyStore {
  ensureIndexes(): Promise<void>;
}

type DiscrepancyDoc = DiscrepancyRecord & { _id: string };
type RunDoc = ReconciliationRun & { _id: string };

const docId = (r: DiscrepancyRecord): string => `${r.runId}\u001f${r.supplier}\u001f${r.sku}`;
const stripId = <T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> => rest;

/** Every write error of a bulk insert is a duplicate key: the records were already there. */
function onlyDuplicates(error: unknown): boolean {
  const { code, writeErrors } = (error ?? {}) as { code?: unknown; writeErrors?: unknown };
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((e: { code?: unknown }) => e?.code === 11000);
  return code === 11000;
}

/**
 * Reconciliation findings on a MongoDB-protocol server. Discrepancies are keyed `run · supplier · sku` and inserted
 * unordered, so a retried batch adds only what is missing (an insert is the one atomic arbiter on FerretDB).
 * A run document has one writer, the reconciler that started it, so replacing it whole needs no condition.
 */
export function createMongoDiscrepancyStore(options: MongoDiscrepancyStoreOptions): MongoDiscrepancyStore {
  const found: Collection<DiscrepancyDoc> = options.db.collection<DiscrepancyDoc>(options.collection ?? 'stock_discrepancies');
  const runs: Collection<RunDoc> = options.db.collection<RunDoc>(options.runsCollection ?? 'reconciliation_runs');

  return {
    async ensureIndexes() {
      await storeCall('discrepancies.ensureIndexes', async () => {
        await found.createIndex({ runId: 1, supplier: 1, sku: 1 }, { name: 'run_supplier_sku_unique', unique: true });
        await runs.createIndex({ startedAt: -1 }, { name: 'started_at' });
      });
    },

    async saveRun(run) {
      await storeCall('discrepancies.saveRun', () => runs.replaceOne({ _id: run.id }, { ...run, suppliers: [...run.suppliers] }, { upsert: true }));
    },

    async getRun(id) {
      return storeCall('discrepancies.getRun', async () => {
        const doc = await runs.findOne({ _id: id });
        return doc === null ? null : (stripId(doc) as ReconciliationRun);
      });
    },

    async listRuns(first) {
      checkPageSize(first, 100);
      return storeCall('discrepancies.listRuns', async () =>
        (await runs.find({}).sort({ startedAt: -1, _id: -1 }).limit(first).toArray()).map((d) => stripId(d) as ReconciliationRun),
      );
    },

    async addDiscrepancies(records) {
      if (records.length === 0) return;
      await storeCall('discrepancies.add', async () => {
        try {
          await found.insertMany(records.map((r) => ({ ...r, _id: docId(r) })), { ordered: false });
        } catch (error) {
          if (!onlyDuplicates(error)) throw error;
        }
      });
    },

    async listDiscrepancies(runId, first, after) {
      checkPageSize(first, 500);
      const cursor = after === null ? null : decodeCursor(after, 2);
      return storeCall('discrepancies.list', async () => {
        const filter = cursor === null
          ? { runId }
          : { runId, $or: [{ supplier: { $gt: cursor[0]! } }, { supplier: cursor[0]!, sku: { $gt: cursor[1]! } }] };
        const docs = await found.find(filter).sort({ supplier: 1, sku: 1 }).limit(first + 1).toArray();
        const page = docs.slice(0, first).map((d) => stripId(d) as DiscrepancyRecord);
        const last = page[page.length - 1];
        return {
          items: page,
          nextCursor: docs.length > first && last !== undefined ? encodeCursor([last.supplier, last.sku]) : null,
          totalCount: await found.countDocuments({ runId }),
        };
      });
    },

    async deleteRunsBefore(before) {
      return storeCall('discrepancies.deleteRunsBefore', async () => {
        const old = await runs.find({ startedAt: { $lt: before } }, { projection: { _id: 1 } }).toArray();
        if (old.length === 0) return 0;
        const ids = old.map((r) => r._id);
        await found.deleteMany({ runId: { $in: ids } });
        return (await runs.deleteMany({ _id: { $in: ids } })).deletedCount;
      });
    },

    async clear() {
      await storeCall('discrepancies.clear', async () => {
        await found.deleteMany({});
        await runs.deleteMany({});
      });
    },
  };
}
