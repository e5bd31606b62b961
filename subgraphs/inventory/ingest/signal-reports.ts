/**
 * Turns the stock signals of stored webhook deliveries into canonical stock reports:
 * - a `figure` (Brightline) carries the supplier's total and timestamp: only the canonical SKU is looked up;
 * - a `changed` (maplecart) carries an inventory item id: it is resolved to a supplier SKU and the current total is
 *   read back through the supplier's connector, all signals of a batch in one `getStock` call per
 *   `maxStockBatch` SKUs (sync lane). Several deliveries about one item (one per location) cost one read.
 * The read-back answers are handed back too, cost included: the worker records them as the offers' last known values
 * once their figures went through the stock update path, as a poll does (docs/storefront.md "Prices").
 */
import type { CallContext, SupplierConnector } from '../../../adapters/core/connector.ts';
import { registryError } from '../../../kernel/errors.ts';
import type { StockSignal } from '../../../adapters/core/webhook.ts';
import type { SupplierStock } from '../../../kernel/model.ts';
import type { Logger } from '../../../platform/logger.ts';
import { observeStock } from '../../last-known-offer.ts';
import type { CatalogStore } from '../../../platform/ports/catalog-store.ts';
import type { StockReport } from '../../../platform/ports/stock-store.ts';

/** Resolves a supplier's internal item ids to its SKUs (maplecart: adapters/suppliers/maplecart/inventory-items.ts). */
export interface ItemRefResolver {
  skusOf(itemRefs: readonly string[], ctx: CallContext): Promise<Map<string, string>>;
}

export interface SignalSources {
  readonly catalog: CatalogStore;
  readonly log: Logger;
  /** Looked up per batch, so connectors created after the ingest (the stack starts sandboxes later) are found. */
  connector(supplier: string): SupplierConnector | undefined;
  itemResolver(supplier: string): ItemRefResolver | undefined;
  /** How long a supplier SKU → canonical SKU answer is reused. @default 60000 */
  readonly mappingTtlMs?: number;
}

/** Per input signal: the report to apply, or why there is none. */
export type SignalResolution = { readonly report: StockReport } | { readonly skipped: 'unmapped' | 'not_found' };

/** One read-back call: what was asked, what the supplier answered, and when it was asked (OfferRecorder.record). */
export interface ReadBack {
  readonly requested: readonly string[];
  readonly answers: readonly SupplierStock[];
  readonly observedAt: number;
}

export interface ResolvedSignals {
  /** Per input signal, in order. */
  readonly resolutions: SignalResolution[];
  /** The supplier's answers read back for `changed` signals, one per getStock call. */
  readonly readBacks: readonly ReadBack[];
}

export interface SignalReports {
  resolve(supplier: string, signals: readonly StockSignal[], signal: AbortSignal): Promise<ResolvedSignals>;
}

const MAX_REMEMBERED = 50_000;

export function createSignalReports(sources: SignalSources): SignalReports {
  const ttlMs = sources.mappingTtlMs ?? 60_000;
  const mappings = new Map<string, { sku: string; until: number }>();

  /** Canonical SKU per supplier SKU. Only found mappings are remembered: a product imported later is seen at once. */
  async function canonicalSkus(supplier: string, supplierSkus: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const now = Date.now();
    const lookups: Promise<void>[] = [];
    for (const supplierSku of new Set(supplierSkus)) {
      const key = `${supplier}\u0000${supplierSku}`;
      const known = mappings.get(key);
      if (known !== undefined && known.until > now) {
        out.set(supplierSku, known.sku);
        continue;
      }
      lookups.push(
        // Only the SKU is needed, so not findBySupplierSku: assembling a product costs a collection scan on FerretDB.
        sources.catalog.skuBySupplierSku(supplier, supplierSku).then((sku) => {
          if (sku === null) return;
          if (mappings.size >= MAX_REMEMBERED) mappings.delete(mappings.keys().next().value!);
          mappings.set(key, { sku, until: now + ttlMs });
          out.set(supplierSku, sku);
        }),
      );
    }
    await Promise.all(lookups);
    return out;
  }

  async function readBack(supplier: string, supplierSkus: readonly string[], signal: AbortSignal, calls: ReadBack[]): Promise<Map<string, { available: number; asOf: string }>> {
    const connector = sources.connector(supplier);
    if (connector === undefined) throw registryError('MISCONFIGURED', `no connector for ${supplier}: cannot read its stock back`, { supplier });
    const ctx: CallContext = { signal, log: sources.log.child({ supplier, op: 'webhook-readback' }), requestId: `ingest-${supplier}-${Date.now()}`, lane: 'sync' };
    const figures = new Map<string, { available: number; asOf: string }>();
    for (let i = 0; i < supplierSkus.length; i += connector.maxStockBatch) {
      const requested = supplierSkus.slice(i, i + connector.maxStockBatch);
      const { stock, observedAt } = await observeStock(connector, requested, ctx);
      for (const s of stock) figures.set(s.supplierSku, s);
      const asked = new Set(requested);
      calls.push({ requested, answers: stock.filter((s) => asked.has(s.supplierSku)), observedAt });
    }
    return figures;
  }

  return {
    async resolve(supplier, signals, abort) {
      const changed = signals.flatMap((s) => (s.kind === 'changed' ? [s.itemRef] : []));
      let skuOfItem = new Map<string, string>();
      if (changed.length > 0) {
        const resolver = sources.itemResolver(supplier);
        if (resolver === undefined) throw registryError('MISCONFIGURED', `no item resolver for ${supplier}: cannot resolve its item ids`, { supplier });
        skuOfItem = await resolver.skusOf(changed, { signal: abort, log: sources.log, requestId: `ingest-${supplier}-${Date.now()}`, lane: 'sync' });
      }
      const supplierSkuOf = (s: StockSignal): string | undefined => (s.kind === 'figure' ? s.supplierSku : skuOfItem.get(s.itemRef));
      const canonical = await canonicalSkus(supplier, signals.flatMap((s) => supplierSkuOf(s) ?? []));
      // Read back only items we map: stock of a product we do not sell is not worth a supplier call.
      const toRead = [...new Set(signals.flatMap((s) => (s.kind === 'changed' ? [supplierSkuOf(s)].filter((x) => x !== undefined && canonical.has(x)) : [])))] as string[];
      const readBacks: ReadBack[] = [];
      const figures = toRead.length > 0 ? await readBack(supplier, toRead, abort, readBacks) : new Map<string, { available: number; asOf: string }>();

      const resolutions = signals.map((s): SignalResolution => {
        const supplierSku = supplierSkuOf(s);
        if (supplierSku === undefined) return { skipped: 'not_found' };
        const sku = canonical.get(supplierSku);
        if (sku === undefined) return { skipped: 'unmapped' };
        const figure = s.kind === 'figure' ? { available: s.available, asOf: s.asOf } : figures.get(supplierSku);
        if (figure === undefined) return { skipped: 'not_found' };
        return { report: { sku, supplier, supplierSku, onHand: Math.max(0, figure.available), supplierAsOf: figure.asOf } };
      });
      return { resolutions, readBacks };
    },
  };
}
