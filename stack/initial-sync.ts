/**
 * The first catalog import and stock snapshot of each supplier, one supplier at a time in file order, failing soft:
 * a supplier that is down or refuses our credentials at start is logged, shown unhealthy in `suppliers`, and retried
 * in the background with exponential backoff until it answers; then its catalog and stock catch up. The others
 * serve meanwhile. (Before: one supplier's failure stopped the whole start.)
 */
import type { SupplierConnector } from '../adapters/core/connector.ts';
import { isRegistryError } from '../kernel/errors.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import type { Logger } from '../platform/logger.ts';
import { importCatalogs, type ImportProgress } from '../subgraphs/catalog/import-catalog.ts';
import { snapshotStock, type SnapshotSummary } from '../subgraphs/inventory/snapshot-stock.ts';
import type { StockUpdater } from '../subgraphs/inventory/stock-updater.ts';
import type { OfferRecorder } from '../subgraphs/inventory/offer-record.ts';

export interface InitialSyncOptions {
  /** In the suppliers file's order: the first supplier to list a product gives it its title. */
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  readonly catalog: CatalogStore;
  readonly updater: StockUpdater;
  /**
   * The snapshot's answers kept as the offers' last known values (InventorySync.offers): a product's first query and
   * the listing have its cost without anyone having viewed it.
   */
  readonly offers: OfferRecorder;
  readonly log: Logger;
  /** First retry delay after a failed initial sync; doubles up to `maxRetryMs`. @default 5000 */
  readonly firstRetryMs?: number;
  /** @default 60000 */
  readonly maxRetryMs?: number;
  readonly onImportProgress?: (progress: ImportProgress) => void;
  readonly onSnapshotProgress?: (summary: SnapshotSummary) => void;
}

export interface InitialSync {
  /** Suppliers whose catalog and stock have not been loaded yet (their first attempts failed). */
  pending(): readonly string[];
  isPending(slug: string): boolean;
  /** Resolves once this supplier's initial sync has succeeded (at once when it is not pending). */
  caughtUp(slug: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The suppliers no product is mapped to yet: a first start (empty catalog), a supplier whose initial sync never
 * succeeded before a restart, or one just added to the suppliers file. One pass over the catalog, at start only.
 */
export async function suppliersWithoutProducts(catalog: CatalogStore, slugs: readonly string[]): Promise<Set<string>> {
  const missing = new Set(slugs);
  let after: string | null = null;
  do {
    const page = await catalog.list(500, after);
    for (const product of page.items) for (const m of product.suppliers) missing.delete(m.supplier);
    after = missing.size === 0 ? null : page.nextCursor;
  } while (after !== null);
  return missing;
}

/** Nothing to load (seeding off). */
export const noInitialSync = (): InitialSync => ({ pending: () => [], isPending: () => false, caughtUp: async () => {}, close: async () => {} });

/** Runs every supplier's first attempt (awaited), and schedules retries for those that failed. */
export async function startInitialSync(options: InitialSyncOptions): Promise<InitialSync> {
  const { log } = options;
  const firstRetryMs = options.firstRetryMs ?? 5_000;
  const maxRetryMs = options.maxRetryMs ?? 60_000;
  const stopping = new AbortController();
  const pending = new Map<string, { attempts: number; timer: NodeJS.Timeout | null; done: Promise<void>; resolve: () => void }>();
  const running = new Set<Promise<void>>();

  async function syncOne(slug: string, connector: SupplierConnector): Promise<boolean> {
    try {
      const common = { connectors: [connector], catalog: options.catalog, log, signal: stopping.signal };
      await importCatalogs({ ...common, ...(options.onImportProgress ? { onProgress: options.onImportProgress } : {}) });
      await snapshotStock({ ...common, updater: options.updater, offers: options.offers, ...(options.onSnapshotProgress ? { onProgress: options.onSnapshotProgress } : {}) });
      return true;
    } catch (error) {
      if (stopping.signal.aborted) return false;
      const entry = pending.get(slug);
      log.warn(
        { supplier: slug, err: isRegistryError(error) ? { code: error.code, errorClass: error.errorClass, message: error.message } : String(error), attempts: (entry?.attempts ?? 0) + 1 },
        'supplier initial sync failed: its catalog and stock will catch up when it answers; the other suppliers serve meanwhile',
      );
      return false;
    }
  }

  async function probe(slug: string, connector: SupplierConnector): Promise<boolean> {
    const ctx = { signal: stopping.signal, log: log.child({ supplier: slug, op: 'initial-sync' }), requestId: `initial-sync-${slug}-${Date.now()}`, lane: 'sync' as const };
    const report = await connector.health(ctx).catch((error: unknown) => ({ ok: false, detail: isRegistryError(error) ? error.code : String(error) }));
    if (!report.ok && !stopping.signal.aborted) log.debug({ supplier: slug, detail: report.detail }, 'supplier still not answering; initial sync retried later');
    return report.ok;
  }

  function schedule(slug: string, connector: SupplierConnector): void {
    const entry = pending.get(slug)!;
    const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** Math.min(entry.attempts - 1, 20));
    entry.timer = setTimeout(() => {
      entry.timer = null;
      // A cheap health probe first: a catalog export may have a small quota of its own (Brightline: 120 an hour), which
      // retries of a refused or unreachable supplier must not spend.
      const attempt = probe(slug, connector).then((up) => (up ? syncOne(slug, connector) : false)).then((ok) => {
        if (stopping.signal.aborted) return;
        if (ok) {
          pending.delete(slug);
          entry.resolve();
          log.info({ supplier: slug, attempts: entry.attempts + 1 }, 'supplier initial sync caught up: catalog and stock loaded');
        } else {
          entry.attempts += 1;
          schedule(slug, connector);
        }
      });
      running.add(attempt);
      void attempt.finally(() => running.delete(attempt));
    }, delay);
    entry.timer.unref();
  }

  for (const [slug, connector] of options.connectors) {
    if (await syncOne(slug, connector)) continue;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    pending.set(slug, { attempts: 1, timer: null, done, resolve });
    schedule(slug, connector);
  }

  return {
    pending: () => [...pending.keys()],
    isPending: (slug) => pending.has(slug),
    caughtUp: (slug) => pending.get(slug)?.done ?? Promise.resolve(),
    async close() {
      stopping.abort();
      for (const entry of pending.values()) if (entry.timer) clearTimeout(entry.timer);
      await Promise.allSettled([...running]);
    },
  };
}
