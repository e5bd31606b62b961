import { createBatchWindow } from '../../platform/batch-window.ts';
import type { Logger } from '../../platform/logger.ts';
import type { CatalogStore, ProductRecord } from '../../platform/ports/catalog-store.ts';
import type { ListingStore } from '../../platform/ports/listing-store.ts';
import type { StockRecord, StockStore } from '../../platform/ports/stock-store.ts';
import { listingDocOf, type ListingPrice } from './listing-doc.ts';

export interface ListingIndexerOptions {
  readonly catalog: Pick<CatalogStore, 'getBySkus' | 'list'>;
  readonly stock: Pick<StockStore, 'getBySkus'>;
  readonly listing: ListingStore;
  /**
   * Sell prices in the store currency from the offer cache (subgraphs/pricing), in the order of `skus`; never a live
   * call. `read`: the products and stock rows the indexer has just read for these SKUs, so the price needs no second
   * read of them (on FerretDB every read is a serialised round trip; an import refreshes products one page at a time).
   */
  readonly prices: (skus: readonly string[], read: { readonly products: readonly (ProductRecord | null)[]; readonly rows: readonly (readonly StockRecord[])[] }) => Promise<(ListingPrice | null)[]>;
  readonly log: Logger;
  /** Changes arriving within this window are refreshed together. @default 25 */
  readonly batchWindowMs?: number;
  /**
   * The window while changes keep coming (a refresh ended less than a second ago: an import, a stock snapshot), so a
   * burst is a few large rebuilds rather than one per product. @default 250
   */
  readonly busyWindowMs?: number;
  /** After a failed refresh (a store outage), the SKUs are tried again this much later. @default 1000 */
  readonly retryMs?: number;
  readonly now?: () => Date;
}

export interface ListingIndexer {
  /** Schedules these products' documents to be rebuilt (created, replaced, or removed when the product is gone). */
  refresh(skus: readonly string[]): void;
  /** Schedules every product (a wide catalog change, a pricing rule change, a lost event). */
  refreshAll(): void;
  /** Resolves when nothing is scheduled or running (benchmarks; tests observe through queries). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const BATCH = 200;

/**
 * Keeps the listing read model (platform/ports/listing-store.ts) in step with the records it is built from. The
 * stack calls `refresh` from the events of every write path that changes an input — catalog.changed (import, sync,
 * families), stock.changed (webhooks, polls, reconciliation, holds), pricing.changed (rules) and a supplier subgraph
 * caching an offer's cost (stack/listing-events.ts) — so nothing but this module writes documents. Refreshes are
 * coalesced: an import of 1,000 products is a handful of batched rebuilds, each three reads and one bulk write.
 */
export function createListingIndexer(options: ListingIndexerOptions): ListingIndexer {
  const { catalog, stock, listing, log } = options;
  const quietWindowMs = options.batchWindowMs ?? 25;
  const busyWindowMs = Math.max(quietWindowMs, options.busyWindowMs ?? 250);
  let lastFlushEnded = Number.NEGATIVE_INFINITY;
  const windowNow = () => (Date.now() - lastFlushEnded < 1_000 ? busyWindowMs : quietWindowMs);
  const retryMs = options.retryMs ?? 1_000;
  const now = options.now ?? (() => new Date());
  const pending = new Set<string>();
  let all = false;
  const batches = createBatchWindow({
    hasPending: () => pending.size > 0 || all,
    flush,
    windowMs: windowNow,
    onFlushed: () => {
      lastFlushEnded = Date.now();
    },
  });

  async function rebuild(skus: readonly string[]): Promise<void> {
    const [products, rows] = await Promise.all([catalog.getBySkus(skus), stock.getBySkus(skus)]);
    const prices = await options.prices(skus, { products, rows });
    const at = now().toISOString();
    const docs = products.flatMap((p, i) => (p === null ? [] : [listingDocOf(p, rows[i] ?? [], prices[i] ?? null, at)]));
    const gone = skus.filter((_, i) => products[i] === null);
    await listing.upsert(docs);
    await listing.remove(gone);
  }

  async function rebuildAll(): Promise<void> {
    const seen = new Set<string>();
    let after: string | null = null;
    do {
      const page = await catalog.list(BATCH, after);
      const skus = page.items.map((p) => p.sku);
      for (const s of skus) seen.add(s);
      if (skus.length > 0) await rebuild(skus);
      after = page.nextCursor;
    } while (after !== null && !batches.closed);
    if (!batches.closed) await listing.remove((await listing.skus()).filter((s) => !seen.has(s)));
  }

  async function flush(): Promise<void> {
    const wide = all;
    const skus = [...pending];
    all = false;
    pending.clear();
    try {
      if (wide) await rebuildAll();
      else for (let i = 0; i < skus.length; i += BATCH) await rebuild(skus.slice(i, i + BATCH));
    } catch (error) {
      log.warn({ err: error, products: wide ? 'all' : skus.length }, 'listing refresh failed: tried again shortly');
      if (wide) all = true;
      else for (const s of skus) pending.add(s);
      await new Promise((r) => setTimeout(r, retryMs).unref?.());
    }
  }

  return {
    refresh(skus) {
      if (batches.closed || skus.length === 0) return;
      for (const s of skus) pending.add(s);
      batches.schedule();
    },
    refreshAll() {
      if (batches.closed) return;
      all = true;
      batches.schedule();
    },
    settled: () => batches.settled(),
    async close() {
      pending.clear();
      all = false;
      await batches.close();
    },
  };
}
