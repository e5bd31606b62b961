import type { Collection, Db } from 'mongodb';
import { registryError } from '../../../kernel/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ApplyResult, MutateResult, StockRecord, StockState, StockStore } from '../../../platform/ports/stock-store.ts';
import { createKeyedQueue } from '../../../platform/keyed-queue.ts';
import { checkStockReport } from '../stock-report.ts';
import { mutationStep, reportStep, type VersionStep } from '../stock-mutation.ts';
import { systemClock, type Clock } from '../timestamps.ts';
import { conflictBackoff, isDuplicateKeyError, storeCall } from './mongo-errors.ts';
import { claimId, planHousekeeping, supplierState, withSupplier, type SkuDoc } from './stock-rows.ts';

export interface MongoStockStoreOptions {
  readonly db: Db;
  readonly log: Logger;
  /** Heads, one per SKU; claims go to `<collection>_claims`. @default 'stock' */
  readonly collection?: string;
  /** @default the system clock (record timestamps only; the claim protocol uses real time) */
  readonly now?: Clock;
  /** Optimistic attempts before giving up with STORE_FAILURE. @default 500 */
  readonly maxAttempts?: number;
  /**
   * R, the claim retention (ms): a claim is deleted only R after a head covering it was seen, and reads older than
   * R/4 are never acted on. Must exceed four times (request time in flight + clock skew between processes).
   * @default 60_000
   */
  readonly claimRetentionMs?: number;
  /** SKU documents read at once by getBySkus. @default 16 */
  readonly readConcurrency?: number;
}

export interface MongoStockStore extends StockStore {
  ensureIndexes(): Promise<void>;
}

interface Row {
  /** The newest version found (0: no document). */
  readonly v: number;
  readonly doc: SkuDoc | null;
  readonly head: SkuDoc | null;
  readonly headReadAt: number;
  /** performance.now() before the head read: the read's age is measured from here. */
  readonly startedAt: number;
}

/**
 * StockStore on a MongoDB-protocol server where every hot-path operation is a point operation on `_id` (the only
 * filter FerretDB 1.24 pushes down to its storage instead of scanning in Go; see docs/inventory.md, "Why claims").
 *
 * Layout: one document per SKU with every supplier's row (record + holds + closed), so `getBySkus` is one read per
 * SKU. Each accepted write makes the SKU's next version `v + 1` and stores it twice:
 * - the CLAIM, inserted at `_id = claimId(sku, v + 1)` in `<collection>_claims`. The insert is the arbiter: `_id`
 *   is unique and a duplicate-key insert is atomic on MongoDB and FerretDB alike (FerretDB's conditional updates
 *   are not: it queries, then replaces by `_id`). A duplicate-key error means another writer won `v + 1`: re-read
 *   and decide again (a mutation's `change` runs again on the new state);
 * - the HEAD, `_id = sku` in `<collection>`, replaced (upsert) by the winner afterwards. It is only a hint: it may
 *   lag (a crashed winner, a replace landing after a newer one) but is never ahead of the claims written.
 * A read takes the head and probes `claimId(sku, head.v + 1)`, `+ 2`, … until one is missing; the last found is the
 * newest version (normally one head read and one missed probe). A crashed winner's claim is rolled forward by it.
 *
 * Why no write is lost (ABA included): a writer that read version v inserts `v + 1` only if its read started less
 * than R/4 ago (else it reads again), and reads themselves are discarded when older than R/4. A claim c is deleted
 * only when the deleter's fresh head read is ≥ c AND a head ≥ c was already in place R earlier (`planHousekeeping`).
 * So a writer that could probe for c (one that saw a head < c) started its read more than R ago and would not act
 * on it; and a writer that saw v as newest when c = v + 1 did not yet exist (read before c was written) is more
 * than R/4 past its read by the time c can be deleted. Either way no insert can land in a freed slot below the
 * newest version, and no reader walks from a head < c to a gap at c. A head goes back only when a replace lands
 * after a newer one (replaces are sent only within R/4 of their writer's read); a reader that saw such a head and
 * reaches a deleted claim has spent more than R/2 minus the time in flight since it read. The assumption, then:
 * requests are in flight, plus the clock difference between processes, under R/4 (15 s at the default R = 60 s).
 *
 * Housekeeping without scans: each version carries `floor` (claims below it are deleted or being deleted) and a
 * few head sightings; the winner deletes claims `floor … covered` by `_id` (normally a handful, every R/8 per hot
 * SKU), and a per-process tidier deletes an idle SKU's last claims R after its head was published (`tidyDue`). What
 * stays: the claims written in the last ~R. That matters on FerretDB 1.24/SQLite, where even an `{_id}` lookup is
 * a table scan (in SQLite, ~30× cheaper than the Go-side scan other filters get): a small claims collection keeps
 * the probe nearly free.
 *
 * One write per SKU at a time in this process (keyed queue): of N writers racing for a version only one wins, so
 * letting all try costs N reads and inserts per version. Other processes race through the claim insert.
 */
export function createMongoStockStore(options: MongoStockStoreOptions): MongoStockStore {
  const name = options.collection ?? 'stock';
  const heads: Collection<SkuDoc> = options.db.collection<SkuDoc>(name);
  const claims: Collection<SkuDoc> = options.db.collection<SkuDoc>(`${name}_claims`);
  const now = options.now ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 500;
  const retentionMs = options.claimRetentionMs ?? 60_000;
  const freshFor = retentionMs / 4;
  const readConcurrency = options.readConcurrency ?? 16;
  const oneAtATime = createKeyedQueue();
  const log = options.log.child({ store: 'stock' });

  const age = (row: Row): number => performance.now() - row.startedAt;

  /** The newest version of a SKU document: the head, then claims above it by `_id` until one is missing. */
  async function readRow(sku: string): Promise<Row> {
    for (;;) {
      const startedAt = performance.now();
      const head = await heads.findOne({ _id: sku });
      const headReadAt = Date.now();
      let doc = head;
      let v = head?.v ?? 0;
      for (;;) {
        const next = await claims.findOne({ _id: claimId(sku, v + 1) });
        if (next === null) break;
        doc = next;
        v = next.v;
      }
      const row: Row = { v, doc, head, headReadAt, startedAt };
      if (age(row) < freshFor) return row;
      // A read this slow may have walked into a claim deleted under it: read again (see the protocol above).
      log.warn({ sku, ms: Math.round(age(row)) }, 'stock read older than a quarter of the claim retention; reading again');
    }
  }

  /** getBySkus: each distinct SKU read once, `readConcurrency` at a time. */
  async function readRows(skus: readonly string[]): Promise<Map<string, SkuDoc | null>> {
    const distinct = [...new Set(skus)];
    const found = new Map<string, SkuDoc | null>();
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(readConcurrency, distinct.length) }, async () => {
      while (next < distinct.length) {
        const sku = distinct[next++]!;
        found.set(sku, (await readRow(sku)).doc);
      }
    }));
    return found;
  }

  /** The winner's hint for readers; true once it landed. A lost upsert race (two first inserts) is retried as a replace. */
  async function publishHead(doc: SkuDoc, row: Row): Promise<boolean> {
    if (age(row) >= freshFor) return false; // too late to be sure it lands in time: readers roll forward from the claim
    const head = { ...doc, _id: doc.sku };
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        try {
          await heads.replaceOne({ _id: doc.sku }, head, { upsert: true });
          return true;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    } catch (error) {
      // Harmless: readers find the claim; the next write publishes again.
      log.warn({ err: error, sku: doc.sku }, 'publishing the stock head failed');
    }
    return false;
  }

  /**
   * Deletes claims `to`, `to − 1`, … down to `from`, stopping at the first one already gone: ranges are deleted from
   * both ends (here and by `tidyDue`), so below a gap the claims are normally gone too (a leftover below a gap is
   * never read: readers start at the head, above it).
   */
  async function deleteClaims(sku: string, from: number, to: number): Promise<void> {
    try {
      for (let v = to; v >= from; v -= 1) {
        if ((await claims.deleteOne({ _id: claimId(sku, v) })).deletedCount === 0) break;
      }
    } catch (error) {
      log.warn({ err: error, sku, from, to }, 'deleting superseded stock claims failed');
    }
  }

  /**
   * Idle SKUs: the in-line rule deletes claims only at a later write, so a SKU's last claims would stay until then
   * and every probe of the claims collection (a table scan on FerretDB, see docs/inventory.md) would pay for them.
   * So the winner that published a head at `ackAt` deletes its claims `floor … v` itself once `ackAt + R` has passed
   * and a fresh head read is still ≥ v: the same rule as in-line (head ≥ v in place R ago, and now). One tidier per
   * process works through the due SKUs one at a time, oldest first, so a burst of writes does not come back R
   * later as a burst of deletes competing with live traffic (measured: 500 timers firing at once queued webhook
   * acknowledgements behind ~1,300 operations). A crash leaves them to the SKU's next write.
   */
  const idle = new Map<string, { v: number; floor: number; ackAt: number }>(); // in ackAt order
  let tidyTimer: NodeJS.Timeout | null = null;
  let tidying = false;

  function armTidy(): void {
    if (tidying || tidyTimer !== null) return;
    const first = idle.values().next();
    if (first.done === true) return;
    tidyTimer = setTimeout(() => {
      tidyTimer = null;
      void tidyDue();
    }, Math.max(0, first.value.ackAt + retentionMs - Date.now()) + 50);
    tidyTimer.unref();
  }

  async function tidyDue(): Promise<void> {
    tidying = true;
    try {
      for (const [sku, entry] of idle) {
        if (entry.ackAt + retentionMs > Date.now()) break;
        idle.delete(sku);
        await oneAtATime(sku, async () => {
          try {
            const head = await heads.findOne({ _id: sku }, { projection: { v: 1 } });
            if (head !== null && head.v >= entry.v) await deleteClaims(sku, entry.floor, entry.v);
          } catch (error) {
            log.warn({ err: error, sku }, 'tidying an idle stock row failed');
          }
        });
      }
    } finally {
      tidying = false;
      armTidy();
    }
  }

  function afterPublish(doc: SkuDoc, ackAt: number): void {
    idle.delete(doc.sku); // re-inserted at the end: the map stays in ackAt order
    idle.set(doc.sku, { v: doc.v, floor: doc.floor, ackAt });
    armTidy();
  }

  /** The one optimistic loop: read the SKU, decide for one supplier, claim the next version; a lost race re-reads. */
  async function writeVersion<R>(
    operation: string,
    sku: string,
    supplier: string,
    decide: (previous: StockState | null) => VersionStep<R>,
  ): Promise<R> {
    return storeCall(operation, () => oneAtATime(sku, async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
        const row = await readRow(sku);
        const step = decide(supplierState(row.doc, supplier));
        if ('done' in step) return step.done;
        if (age(row) >= freshFor) continue; // built on a read too old to claim with
        const builtAt = Date.now();
        const plan = planHousekeeping({ previous: row.doc, head: row.head, headReadAt: row.headReadAt, now: builtAt, retentionMs });
        const doc: SkuDoc = {
          _id: claimId(sku, row.v + 1),
          sku,
          v: row.v + 1,
          builtAt,
          suppliers: withSupplier(row.doc, step.write),
          floor: plan.floor,
          seen: plan.seen,
        };
        try {
          await claims.insertOne(doc);
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          await conflictBackoff(attempt); // another writer claimed this version: read again and decide again
          continue;
        }
        if (await publishHead(doc, row)) afterPublish(doc, Date.now());
        if (plan.deleteTo >= plan.deleteFrom) await deleteClaims(sku, plan.deleteFrom, plan.deleteTo);
        return step.result;
      }
      throw registryError('STORE_FAILURE', `stock write for ${sku}/${supplier} lost ${maxAttempts} races`, { operation });
    }));
  }

  return {
    async ensureIndexes() {
      // Nothing to create: every lookup and the one arbiter (the claim insert) use the unique `_id`.
    },

    async applyReport(report, defaultBuffer): Promise<ApplyResult> {
      checkStockReport(report, defaultBuffer);
      return writeVersion('stock.applyReport', report.sku, report.supplier, (previous) => reportStep(previous, report, defaultBuffer, now()));
    },

    async mutate(sku, supplier, change): Promise<MutateResult> {
      return writeVersion('stock.mutate', sku, supplier, (previous) => mutationStep(previous, change, now()));
    },

    async getState(sku, supplier) {
      return storeCall('stock.getState', async () => supplierState((await readRow(sku)).doc, supplier));
    },

    async getBySkus(skus) {
      return storeCall('stock.getBySkus', async () => {
        const docs = await readRows(skus);
        // Suppliers are stored sorted by name.
        return skus.map((sku): StockRecord[] => (docs.get(sku)?.suppliers ?? []).map((s) => ({ ...s.record })));
      });
    },

    async get(sku, supplier) {
      return storeCall('stock.get', async () => supplierState((await readRow(sku)).doc, supplier)?.record ?? null);
    },

    async clear() {
      return storeCall('stock.clear', async () => {
        if (tidyTimer !== null) clearTimeout(tidyTimer);
        tidyTimer = null;
        idle.clear();
        await heads.deleteMany({});
        await claims.deleteMany({});
      });
    },
  };
}
