import type { Collection, Db } from 'mongodb';
import { registryError } from '../../core/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ApplyResult, StockRecord, StockStore } from '../../../platform/ports/stock-store.ts';
import { compareStrings } from '../catalog-keys.ts';
import { checkStockReport, decideStockReport } from '../stock-report.ts';
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
   * How long superseded versions are kept before deletion. A writer never inserts on a read older than half of
   * this, so a deleted version number can never be claimed again. @default 600_000 (10 min)
   */
  readonly retentionMs?: number;
}

export interface MongoStockStore extends StockStore {
  ensureIndexes(): Promise<void>;
}

/** A stored version. `superseded` is only ever set (never cleared), so setting it needs no atomicity. */
type StockRow = StockRecord & { superseded?: true };

const PROJECTION = { _id: 0, superseded: 0 } as const;

/**
 * StockStore on a MongoDB-protocol server, with versioned rows: each accepted report INSERTS the row
 * (sku, supplier, version + 1), and a unique index on (sku, supplier, version) lets exactly one concurrent writer
 * win each version; losers re-read and decide again (usually: stale). Older versions are marked superseded at
 * once (reads skip them) and deleted after `retentionMs`.
 *
 * Why not findOneAndUpdate conditional on the version read: FerretDB 1.24 (the test server) runs findAndModify as
 * query, then replace-by-_id, without re-checking the filter, so concurrent "conditional" updates overwrite each
 * other (measured: 50 writers all "won", the version ended at 10). A unique-index insert is atomic on both servers.
 *
 * Why deletion waits: a writer that read version k-1 long ago could otherwise insert k after k had been written and
 * deleted (ABA), "winning" a version below the newest. The contract's concurrency case caught exactly that when
 * old versions were deleted at once.
 */
export function createMongoStockStore(options: MongoStockStoreOptions): MongoStockStore {
  const rows: Collection<StockRow> = options.db.collection<StockRow>(options.collection ?? 'stock');
  const now = options.now ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 500;
  const retentionMs = options.retentionMs ?? 600_000;
  const log = options.log.child({ store: 'stock' });

  const latest = (sku: string, supplier: string): Promise<StockRecord | null> =>
    rows.findOne({ sku, supplier }, { sort: { version: -1 }, projection: PROJECTION }) as Promise<StockRecord | null>;

  async function retire(record: StockRecord): Promise<void> {
    const older = { sku: record.sku, supplier: record.supplier, version: { $lt: record.version } };
    try {
      await rows.updateMany({ ...older, superseded: { $exists: false } }, { $set: { superseded: true } });
      const cutoff = new Date(Date.now() - retentionMs).toISOString();
      await rows.deleteMany({ ...older, receivedAt: { $lt: cutoff } });
    } catch (error) {
      // Harmless to leave: readers take the highest version and the next write retires again.
      log.warn({ err: error, sku: record.sku, supplier: record.supplier }, 'retiring old stock versions failed');
    }
  }

  return {
    async ensureIndexes() {
      await storeCall('stock.ensureIndexes', async () => {
        await rows.createIndex({ sku: 1, supplier: 1, version: 1 }, { name: 'sku_supplier_version_unique', unique: true });
      });
    },

    async applyReport(report, defaultBuffer): Promise<ApplyResult> {
      checkStockReport(report, defaultBuffer);
      return storeCall('stock.applyReport', async () => {
        for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
          const readAt = Date.now();
          const before = await latest(report.sku, report.supplier);
          const decision = decideStockReport(before, report, defaultBuffer, now());
          if (decision.stale) return { outcome: 'stale', current: before! };
          if (Date.now() - readAt > retentionMs / 2) continue; // too old a read to build on (see above)
          try {
            await rows.insertOne({ ...decision.next }); // a copy: the driver adds _id to the object it is given
          } catch (error) {
            if (!isDuplicateKeyError(error)) throw error;
            await conflictBackoff(attempt); // another writer took this version: read again and decide again
            continue;
          }
          await retire(decision.next);
          return { outcome: 'applied', before, after: decision.next };
        }
        throw registryError('STORE_FAILURE', `stock write for ${report.sku}/${report.supplier} lost ${maxAttempts} races`, {
          operation: 'stock.applyReport',
        });
      });
    },

    async getBySkus(skus) {
      return storeCall('stock.getBySkus', async () => {
        const found = (await rows
          .find({ sku: { $in: [...new Set(skus)] }, superseded: { $exists: false } }, { projection: PROJECTION })
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
