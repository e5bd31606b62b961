/**
 * `offers.cached` → the products to re-price (stack/listing.ts). A poll pass or a product page caches offers in
 * bursts (one event per supplier batch); each burst's offers are mapped to products with ONE batched catalog read
 * (`skusBySupplierSkus`), and the products go to the indexer, whose own windows coalesce the rebuilds. Before, every
 * offer of every event was its own `skuBySupplierSku` read.
 */
import { createBatchWindow } from '../platform/batch-window.ts';
import type { Logger } from '../platform/logger.ts';
import type { CatalogStore } from '../platform/ports/catalog-store.ts';
import type { ListingIndexer } from '../subgraphs/catalog/listing-indexer.ts';
import type { OffersCachedEvent } from './listing-events.ts';

type OfferRef = OffersCachedEvent['offers'][number];

export interface CachedOfferRefreshes {
  /** Queues these offers' products for a re-price; returns at once. */
  add(offers: readonly OfferRef[]): void;
  /** Resolves when nothing is queued or being read (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface CachedOfferRefreshOptions {
  readonly catalog: Pick<CatalogStore, 'skusBySupplierSkus'>;
  readonly indexer: Pick<ListingIndexer, 'refresh'>;
  readonly log: Logger;
  /**
   * Offers arriving within this window share one catalog read; offers arriving while a read runs share the next.
   * The indexer's own windows (25 ms quiet, 250 ms during a burst) then batch the rebuilds. @default 25
   */
  readonly windowMs?: number;
}

export function createCachedOfferRefreshes(options: CachedOfferRefreshOptions): CachedOfferRefreshes {
  const { catalog, indexer, log } = options;
  const windowMs = options.windowMs ?? 25;
  const pending = new Map<string, OfferRef>();
  const batches = createBatchWindow({ hasPending: () => pending.size > 0, flush, windowMs: () => windowMs });

  async function flush(): Promise<void> {
    const refs = [...pending.values()];
    pending.clear();
    try {
      const skus = await catalog.skusBySupplierSkus(refs);
      indexer.refresh([...new Set(skus.filter((s): s is string => s !== null))]);
    } catch (error) {
      // Not retried: the products re-price at their next stock, catalog or rule change, or the next cached answer.
      log.warn({ err: error, offers: refs.length }, 'could not map cached offers to products: listing prices catch up at the next change');
    }
  }

  return {
    add(offers) {
      if (batches.closed) return;
      for (const o of offers) {
        if (typeof o?.supplier === 'string' && typeof o.supplierSku === 'string') pending.set(`${o.supplier}\0${o.supplierSku}`, { supplier: o.supplier, supplierSku: o.supplierSku });
      }
      batches.schedule();
    },
    settled: () => batches.settled(),
    async close() {
      pending.clear();
      await batches.close();
    },
  };
}
