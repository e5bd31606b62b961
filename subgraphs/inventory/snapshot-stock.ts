import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import type { CatalogStore } from '../../platform/ports/catalog-store.ts';
import type { OfferRecorder } from './offer-record.ts';
import type { StockUpdater } from './stock-updater.ts';
import type { Logger } from '../../platform/logger.ts';
import { observeStock } from '../last-known-offer.ts';

export interface SnapshotSummary {
  readonly supplier: string;
  readonly requested: number;
  readonly applied: number;
  readonly stale: number;
  readonly missing: number;
}

export interface SnapshotOptions {
  readonly connectors: readonly SupplierConnector[];
  readonly catalog: CatalogStore;
  readonly updater: StockUpdater;
  /** Each batch's answers kept as the offers' last known values (their costs price listings). @default none */
  readonly offers?: OfferRecorder;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (summary: SnapshotSummary) => void;
}

/**
 * Reads every mapped SKU's stock from each supplier in full batches (sync lane) and applies it to canonical stock
 * through the same update path as every other figure (stock-updater.ts), so an older snapshot never overwrites
 * newer figures and every change is announced.
 */
export async function snapshotStock(options: SnapshotOptions): Promise<SnapshotSummary[]> {
  const skuOf = new Map<string, Map<string, string>>(); // supplier → supplierSku → canonical sku
  for (const c of options.connectors) skuOf.set(c.supplier, new Map());
  let after: string | null = null;
  do {
    const page = await options.catalog.list(500, after);
    for (const product of page.items) {
      for (const m of product.suppliers) skuOf.get(m.supplier)?.set(m.supplierSku, product.sku);
    }
    after = page.nextCursor;
  } while (after !== null);

  const summaries: SnapshotSummary[] = [];
  for (const connector of options.connectors) {
    const mapped = skuOf.get(connector.supplier)!;
    const ctx: CallContext = {
      signal: options.signal ?? new AbortController().signal,
      log: options.log.child({ supplier: connector.supplier, op: 'snapshot' }),
      requestId: `snapshot-${connector.supplier}-${Date.now()}`,
      lane: 'sync',
    };
    const supplierSkus = [...mapped.keys()];
    let summary: SnapshotSummary = { supplier: connector.supplier, requested: supplierSkus.length, applied: 0, stale: 0, missing: 0 };
    for (let i = 0; i < supplierSkus.length; i += connector.maxStockBatch) {
      const batch = supplierSkus.slice(i, i + connector.maxStockBatch);
      const { stock, observedAt } = await observeStock(connector, batch, ctx);
      let applied = 0;
      let stale = 0;
      for (const s of stock) {
        const result = await options.updater.applyReport(
          { sku: mapped.get(s.supplierSku)!, supplier: connector.supplier, supplierSku: s.supplierSku, onHand: s.available, supplierAsOf: s.asOf },
          'import',
        );
        if (result.outcome === 'applied') applied += 1;
        else stale += 1;
      }
      await options.offers?.record(connector.supplier, batch, stock.filter((s) => mapped.has(s.supplierSku)), observedAt);
      summary = { ...summary, applied: summary.applied + applied, stale: summary.stale + stale, missing: summary.missing + batch.length - stock.length };
      options.onProgress?.(summary);
    }
    summaries.push(summary);
  }
  return summaries;
}
