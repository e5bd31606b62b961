/**
 * A targeted stock read for a few SKUs of one supplier, applied through the one update path (source `poll`), so a
 * caller can be sure our on-hand is not older than a moment it knows of. Used by order tracking before it lets an
 * accepted order's allocated units leave `committed` (docs/orders.md): until a figure read after the acceptance is
 * stored, our on-hand still counts those units and clearing `committed` would overstate `available`.
 * Its answers are kept as the offers' last known values as a poll's are (OfferRecorder), cost included.
 */
import type { SupplierConnector } from '../../adapters/core/connector.ts';
import type { Logger } from '../../platform/logger.ts';
import { observeStock } from '../last-known-offer.ts';
import { noOfferRecorder, type OfferRecorder } from './offer-record.ts';
import type { StockUpdater } from './stock-updater.ts';

export interface RefreshItem {
  readonly sku: string;
  readonly supplierSku: string;
}

export interface RefreshStockOptions {
  readonly connectors: ReadonlyMap<string, SupplierConnector>;
  readonly updater: Pick<StockUpdater, 'applyReport'>;
  readonly log: Logger;
  /** Where the answers are kept as the offers' last known values (the sync's recorder). @default none */
  readonly offers?: OfferRecorder;
  /** Deadline of the whole refresh. @default 10000 */
  readonly timeoutMs?: number;
}

/**
 * Returns a function that reads `items` from `supplier` now (sync lane, in `maxStockBatch` batches) and applies the
 * figures. True only when every SKU's stored on-hand is now the figure just read (applied, or an equal figure the
 * supplier stamped later); false when the supplier has no connector, left a SKU out, or we hold a different figure
 * it stamped later (we cannot tell which is current: the caller stays on the safe side).
 * Supplier errors are thrown: the caller treats a throw like false.
 */
export function createStockRefresher(options: RefreshStockOptions): (supplier: string, items: readonly RefreshItem[]) => Promise<boolean> {
  const log = options.log.child({ component: 'stock-refresh' });
  const offers = options.offers ?? noOfferRecorder;
  return async (supplier, items) => {
    const connector = options.connectors.get(supplier);
    if (connector === undefined) return false;
    const skusOf = new Map<string, string[]>();
    for (const item of items) skusOf.set(item.supplierSku, [...new Set([...(skusOf.get(item.supplierSku) ?? []), item.sku])]);
    const supplierSkus = [...skusOf.keys()];
    const ctx = { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), log, requestId: `refresh-${supplier}-${Date.now()}`, lane: 'sync' as const };
    const seen = new Set<string>();
    for (let i = 0; i < supplierSkus.length; i += Math.max(1, connector.maxStockBatch)) {
      const requested = supplierSkus.slice(i, i + Math.max(1, connector.maxStockBatch));
      const { stock: figures, observedAt } = await observeStock(connector, requested, ctx);
      for (const figure of figures) {
        let current = skusOf.has(figure.supplierSku);
        for (const sku of skusOf.get(figure.supplierSku) ?? []) {
          const result = await options.updater.applyReport({ sku, supplier, supplierSku: figure.supplierSku, onHand: figure.available, supplierAsOf: figure.asOf }, 'poll');
          // A stored figure stamped later by the supplier wins (stale), and counts only when it says the same:
          // otherwise we cannot tell it was read after the moment the caller cares about.
          if (result.outcome !== 'applied' && !(result.outcome === 'stale' && result.current.onHand === figure.available)) current = false;
        }
        if (current) seen.add(figure.supplierSku);
      }
      // After the stock writes, as a poll: the cost this read saw reaches the listing.
      await offers.record(supplier, requested, figures.filter((f) => skusOf.has(f.supplierSku)), observedAt);
    }
    return supplierSkus.every((s) => seen.has(s));
  };
}
