import DataLoader from 'dataloader';
import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import { toRegistryError } from '../../adapters/core/errors.ts';
import type { SupplierStock } from '../../adapters/core/model.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OfferResult } from './offer-view.ts';
import { offerCacheKey } from '../offer-cache-key.ts';

export interface OfferLoaderOptions {
  readonly connector: SupplierConnector;
  readonly cache: Cache;
  /** How long a supplier's answer is served from cache. */
  readonly ttlMs: number;
  readonly log: Logger;
  readonly requestId: string;
  readonly signal?: AbortSignal;
  /** Observes every supplier call, for metrics and the call-count tests. */
  readonly onSupplierCall?: (skus: readonly string[]) => void;
}

type CachedOffer = { readonly found: true; readonly stock: SupplierStock } | { readonly found: false };


/**
 * One loader per request. Every SKU asked for in the same tick reaches `batch` together: cache hits are served,
 * and the misses go to the supplier in one `getStock` call (the connector splits only past the supplier's own
 * batch limit). Answers — including "not listed" — are cached with the TTL; failures are not.
 */
export function createOfferLoader(options: OfferLoaderOptions): DataLoader<string, OfferResult> {
  const { connector, cache, ttlMs, log } = options;

  async function readCache(skus: readonly string[]): Promise<(CachedOffer | null)[]> {
    try {
      const raw = await cache.getMany(skus.map((sku) => offerCacheKey(connector.supplier, sku)));
      return raw.map((value) => (value === null ? null : (JSON.parse(value) as CachedOffer)));
    } catch (error) {
      // A cache outage costs supplier calls, never answers.
      log.warn({ err: error, supplier: connector.supplier }, 'offer cache read failed; asking the supplier');
      return skus.map(() => null);
    }
  }

  async function writeCache(entries: [string, CachedOffer][]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await cache.setMany(entries.map(([sku, value]) => [offerCacheKey(connector.supplier, sku), JSON.stringify(value)] as const), ttlMs);
    } catch (error) {
      log.warn({ err: error, supplier: connector.supplier }, 'offer cache write failed');
    }
  }

  async function batch(skus: readonly string[]): Promise<OfferResult[]> {
    const cached = await readCache(skus);
    const misses = skus.filter((_, i) => cached[i] === null);
    const fresh = new Map<string, SupplierStock>();
    let failure: OfferResult | null = null;
    if (misses.length > 0) {
      const ctx: CallContext = {
        signal: options.signal ?? new AbortController().signal,
        log,
        requestId: options.requestId,
        lane: 'interactive',
      };
      try {
        options.onSupplierCall?.(misses);
        for (const stock of await connector.getStock(misses, ctx)) fresh.set(stock.supplierSku, stock);
        await writeCache(misses.map((sku) => {
          const stock = fresh.get(sku);
          return [sku, stock ? { found: true, stock } : { found: false }];
        }));
      } catch (error) {
        failure = { kind: 'failed', error: toRegistryError(error, { supplier: connector.supplier, operation: 'getStock' }) };
        log.warn({ supplier: connector.supplier, code: failure.error.code, errorClass: failure.error.errorClass }, 'supplier stock read failed');
      }
    }
    return skus.map((sku, i): OfferResult => {
      const hit = cached[i];
      if (hit) return hit.found ? { kind: 'live', stock: hit.stock, cached: true } : { kind: 'unlisted' };
      if (failure) return failure;
      const stock = fresh.get(sku);
      return stock ? { kind: 'live', stock, cached: false } : { kind: 'unlisted' };
    });
  }

  // DataLoader's own per-request memo keeps one answer per SKU within a request; the cache spans requests.
  return new DataLoader(batch, { maxBatchSize: 1_000 });
}
