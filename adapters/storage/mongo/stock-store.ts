import type { Collection, Db } from 'mongodb';
import { registryError } from '../../core/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type {
  ApplyResult,
  ClosedHold,
  MutateResult,
  StockHold,
  StockRecord,
  StockState,
  StockStore,
} from '../../../platform/ports/stock-store.ts';
import { compareStrings } from '../catalog-keys.ts';
import { createKeyedQueue } from '../keyed-queue.ts';
import { checkStockReport } from '../stock-report.ts';
import { mutationStep, reportStep, type VersionStep } from '../stock-mutation.ts';
import { systemClock, type Clock } from '../timestamps.ts';
import { conflictBackoff, isDuplicateKeyError, storeCall } from './mongo-errors.ts';

export interface MongoStockStoreOptions {
  readonly db: Db;
  readonly log: Logger;
  /** @default 'stock' */
  readonly collection?: string;
  /** @default the system clock */
  readonly now?: Clock;
  /** Optimistic attempts before giving up with STORE_FAILURE. @default 500 */
  readonly maxAttempts?: number;
  /**
   * How long superseded versions are kept (marked `superseded`, skipped by reads) before deletion, as a short
   * history for debugging. Not needed for correctness (every insert is verified, see below), and on FerretDB, which
   * scans collections, every kept version slows every read. @default 0 (deleted at once)
   */
  readonly retentionMs?: number;
}

export interface MongoStockStore extends StockStore {
  ensureIndexes(): Promise<void>;
}

/**
 * A stored version: the record, its hold ledger, and when this version was written (`writtenAt`, which retention
 * goes by: `receivedAt` stays the supplier report's receipt time across reservation writes). `superseded` is only
 * ever set (never cleared), so setting it needs no atomicity.
 */
type StockDoc = StockRecord & {
  holds?: StockHold[];
  closed?: ClosedHold[];
  writtenAt?: string;
  superseded?: true;
};

const RECORD_PROJECTION = { _id: 0, superseded: 0, holds: 0, closed: 0, writtenAt: 0 } as const;
const STATE_PROJECTION = { _id: 0, superseded: 0, writtenAt: 0 } as const;

function toState(doc: StockDoc): StockState {
  const { holds, closed, ...record } = doc;
  return { record, holds: holds ?? [], closed: closed ?? [] };
}

/**
 * StockStore on a MongoDB-protocol server, with versioned rows: each accepted write (supplier report or mutation)
 * INSERTS the row (sku, supplier, version + 1), and a unique index on (sku, supplier, version) lets exactly one
 * concurrent writer win each version; losers re-read and decide again (a report: usually stale; a mutation: its
 * change runs again on the new state, e.g. a hold re-checks availability). Older versions are then deleted (or,
 * with `retentionMs`, marked superseded and deleted later).
 *
 * Why not findOneAndUpdate conditional on the version read: FerretDB 1.24 (the test server) runs findAndModify as
 * query, then replace-by-_id, without re-checking the filter, so concurrent "conditional" updates overwrite each
 * other (measured: 50 writers all "won", the version ended at 10). A unique-index insert is atomic on both servers.
 *
 * Why every insert is verified: a writer that read version k-1 long ago could insert k after k had been written
 * and deleted (ABA), "winning" a version below the newest (the contract's concurrency case caught exactly that).
 * So after inserting k the writer checks that no version above k exists; if one does, its insert is a shadow no
 * reader will ever pick (readers take the highest version, and the highest is never deleted), so it deletes it
 * and decides again. This needs no clock, unlike the earlier "keep old versions for 10 minutes" rule.
 *
 * Why one write per row at a time in this process: of N writers racing for a version only one can win, so letting
 * them all try costs N reads and inserts per version (200 concurrent reservations of one SKU took over a minute on
 * FerretDB). Queued, each write usually wins at its first attempt; other processes still race through the index.
 */
export function createMongoStockStore(options: MongoStockStoreOptions): MongoStockStore {
  const rows: Collection<StockDoc> = options.db.collection<StockDoc>(options.collection ?? 'stock');
  const now = options.now ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 500;
  const retentionMs = options.retentionMs ?? 0;
  const oneAtATime = createKeyedQueue();
  const log = options.log.child({ store: 'stock' });

  const latest = (sku: string, supplier: string): Promise<StockRecord | null> =>
    rows.findOne({ sku, supplier }, { sort: { version: -1 }, projection: RECORD_PROJECTION }) as Promise<StockRecord | null>;

  async function latestState(sku: string, supplier: string): Promise<StockState | null> {
    const doc = (await rows.findOne({ sku, supplier }, { sort: { version: -1 }, projection: STATE_PROJECTION })) as StockDoc | null;
    return doc === null ? null : toState(doc);
  }

  /**
   * Every stored version of a row, newest first, with their _ids. FerretDB answers any filter but `_id` with a
   * collection scan, so the write path reads the row once and later deletes what it read by `_id`.
   */
  async function readRow(sku: string, supplier: string): Promise<{ latest: StockState | null; ids: unknown[] }> {
    const docs = (await rows
      .find({ sku, supplier }, { projection: { superseded: 0, writtenAt: 0 } })
      .sort({ version: -1 })
      .toArray()) as (StockDoc & { _id: unknown })[];
    const [newest] = docs;
    if (newest === undefined) return { latest: null, ids: [] };
    const { _id, ...doc } = newest;
    return { latest: toState(doc), ids: docs.map((d) => d._id) };
  }

  /** Deletes the versions a verified write superseded: those it read, or (with retention) all old enough. */
  async function retire(record: StockRecord, readIds: readonly unknown[]): Promise<void> {
    const older = { sku: record.sku, supplier: record.supplier, version: { $lt: record.version } };
    try {
      if (retentionMs <= 0) {
        for (const _id of readIds) await rows.deleteOne({ _id: _id as never });
        return;
      }
      await rows.updateMany({ ...older, superseded: { $exists: false } }, { $set: { superseded: true } });
      const cutoff = new Date(Date.now() - retentionMs).toISOString();
      // Versions written before `writtenAt` existed fall back to receivedAt, which was their write time then.
      await rows.deleteMany({ ...older, $or: [{ writtenAt: { $lt: cutoff } }, { writtenAt: { $exists: false }, receivedAt: { $lt: cutoff } }] });
    } catch (error) {
      // Harmless to leave: readers take the highest version and the next write retires again.
      log.warn({ err: error, sku: record.sku, supplier: record.supplier }, 'retiring old stock versions failed');
    }
  }

  /** True when a version above `version` exists: an insert at `version` was then built on a stale read (ABA). */
  const shadowed = async (record: StockRecord): Promise<boolean> =>
    (await rows.findOne({ sku: record.sku, supplier: record.supplier, version: { $gt: record.version } }, { projection: { _id: 1 } })) !== null;

  /** The one optimistic loop: read the newest version, decide, insert the next one; a lost race re-reads. */
  async function writeVersion<R>(
    operation: string,
    sku: string,
    supplier: string,
    decide: (previous: StockState | null) => VersionStep<R>,
  ): Promise<R> {
    return storeCall(operation, () => oneAtATime(`${sku}\u0000${supplier}`, async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
        const { latest: previous, ids } = await readRow(sku, supplier);
        const step = decide(previous);
        if ('done' in step) return step.done;
        const doc: StockDoc = {
          ...step.write.record,
          holds: [...step.write.holds],
          closed: [...step.write.closed],
          writtenAt: new Date().toISOString(),
        };
        let inserted;
        try {
          inserted = await rows.insertOne(doc); // a fresh object: the driver adds _id to the object it is given
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          await conflictBackoff(attempt); // another writer took this version: read again and decide again
          continue;
        }
        if (await shadowed(step.write.record)) {
          await rows.deleteOne({ _id: inserted.insertedId });
          await conflictBackoff(attempt);
          continue;
        }
        await retire(step.write.record, ids);
        return step.result;
      }
      throw registryError('STORE_FAILURE', `stock write for ${sku}/${supplier} lost ${maxAttempts} races`, { operation });
    }));
  }

  return {
    async ensureIndexes() {
      await storeCall('stock.ensureIndexes', async () => {
        await rows.createIndex({ sku: 1, supplier: 1, version: 1 }, { name: 'sku_supplier_version_unique', unique: true });
      });
    },

    async applyReport(report, defaultBuffer): Promise<ApplyResult> {
      checkStockReport(report, defaultBuffer);
      return writeVersion('stock.applyReport', report.sku, report.supplier, (previous) => reportStep(previous, report, defaultBuffer, now()));
    },

    async mutate(sku, supplier, change): Promise<MutateResult> {
      return writeVersion('stock.mutate', sku, supplier, (previous) => mutationStep(previous, change, now()));
    },

    async getState(sku, supplier) {
      return storeCall('stock.getState', () => latestState(sku, supplier));
    },

    async getBySkus(skus) {
      return storeCall('stock.getBySkus', async () => {
        const found = (await rows
          .find({ sku: { $in: [...new Set(skus)] }, superseded: { $exists: false } }, { projection: RECORD_PROJECTION })
          .toArray()) as StockRecord[];
        // Between an insert and its retire two versions may both be unmarked: keep the highest per (sku, supplier).
        const newest = new Map<string, Map<string, StockRecord>>();
        for (const row of found) {
          let forSku = newest.get(row.sku);
          if (forSku === undefined) newest.set(row.sku, (forSku = new Map()));
          const seen = forSku.get(row.supplier);
          if (seen === undefined || seen.version < row.version) forSku.set(row.supplier, row);
        }
        return skus.map((sku) =>
          [...(newest.get(sku)?.values() ?? [])].sort((a, b) => compareStrings(a.supplier, b.supplier)).map((r) => ({ ...r })),
        );
      });
    },

    async get(sku, supplier) {
      return storeCall('stock.get', () => latest(sku, supplier));
    },

    async clear() {
      return storeCall('stock.clear', async () => {
        await rows.deleteMany({});
      });
    },
  };
}
