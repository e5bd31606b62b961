import DataLoader from 'dataloader';
import type { CallContext, SupplierConnector } from '../../adapters/core/connector.ts';
import { toRegistryError, type RegistryError } from '../../kernel/errors.ts';
import type { SupplierStock } from '../../kernel/model.ts';
import { servesLastKnownValue } from '../../adapters/core/policies/degraded-read.ts';
import { budgetSpent } from '../../adapters/core/policies/timeout.ts';
import { registryError } from '../../kernel/errors.ts';
import { briefError, type LogThrottle } from '../../platform/log-throttle.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import type { Logger } from '../../platform/logger.ts';
import type { OfferResult } from './offer-view.ts';
import { LAST_KNOWN_OFFER_TTL_MS, lastKnownOfferKey, offerCacheKey } from '../offer-cache-key.ts';
import { OBSERVED_AT_FIELD, cachedOffer, lastKnownOfferEntry, observeStock, type CachedOffer } from '../last-known-offer.ts';
import { inSpan } from '../../platform/tracing/spans.ts';
import { supplierFailureFields } from '../../adapters/core/supplier-facts.ts';

export interface OfferLoaderOptions {
  readonly connector: SupplierConnector;
  readonly cache: Cache;
  /** How long a supplier's answer is served from cache as fresh. */
  readonly ttlMs: number;
  /** How long the last answer is kept for degraded reads. @default 86_400_000 (24 h) */
  readonly lastKnownTtlMs?: number;
  readonly log: Logger;
  readonly requestId: string;
  /**
   * Aborts when the request's budget, less the reserve to answer degraded, is spent (timeout.ts `deadlineSignal`):
   * the supplier call, its retries and its waits for budget all end by then.
   */
  readonly signal?: AbortSignal;
  /** Repeated identical supplier-failure warnings are logged once per window, with a count (platform/log-throttle.ts). */
  readonly warnings?: LogThrottle;
  /** Observes every supplier call, for metrics and the call-count tests. */
  readonly onSupplierCall?: (skus: readonly string[]) => void;
  /**
   * Runs before each supplier call; throwing a registry error skips the call and degrades its offers like a
   * supplier failure (the partner's share of the supplier's budget, subgraphs/supplier/partner-share.ts).
   */
  readonly beforeSupplierCall?: () => Promise<void>;
  /** Observes cache lookups, for the hit/miss metrics. */
  readonly onCacheLookup?: (result: 'hit' | 'miss', count: number) => void;
}

/**
 * One loader per request. Every SKU asked for in the same tick reaches `batch` together: cache hits are served,
 * and the misses go to the supplier in one `getStock` call (the connector splits only past the supplier's own
 * batch limit). Answers — including "not listed" — are cached with the TTL, and kept longer as the last known
 * value. When the supplier cannot answer (throttled, open circuit, down, garbage) the last known value is served
 * marked stale; a logical error, or nothing known, is a failure.
 */
export function createOfferLoader(options: OfferLoaderOptions): DataLoader<string, OfferResult> {
  const { connector, cache, ttlMs, log } = options;
  const supplier = connector.supplier;
  /** An expected failure (supplier or store): one line per kind per window when throttled, never a stack trace. */
  const warn = (kind: string, fields: Record<string, unknown>, msg: string) =>
    options.warnings ? options.warnings.warn(log, `${supplier}:${kind}`, fields, msg) : log.warn(fields, msg);
  const lastKnownTtlMs = options.lastKnownTtlMs ?? LAST_KNOWN_OFFER_TTL_MS;

  async function read(keys: readonly string[]): Promise<(CachedOffer | null)[]> {
    try {
      const raw = await cache.getMany(keys);
      return raw.map((value) => (value === null ? null : (JSON.parse(value) as CachedOffer)));
    } catch (error) {
      // A cache outage costs supplier calls, never answers.
      warn('cache-read', { supplier, ...briefError(error) }, 'offer cache read failed; asking the supplier');
      return keys.map(() => null);
    }
  }

  /** `observedAt`: when the supplier was asked; the last known value is never written over one asked for later. */
  async function remember(answers: readonly (readonly [string, SupplierStock | undefined])[], observedAt: number): Promise<void> {
    if (answers.length === 0) return;
    try {
      await Promise.all([
        // TTL 0 turns the fresh cache off; the last known value is still kept for degraded reads.
        ttlMs > 0 ? cache.setMany(answers.map(([sku, stock]) => [offerCacheKey(supplier, sku), JSON.stringify(cachedOffer(stock, observedAt))] as const), ttlMs) : undefined,
        // A sync pass's answer landing at the same moment, asked for earlier, cannot replace this one, nor this an
        // answer asked for later (subgraphs/last-known-offer.ts).
        cache.setManyIfNewer(answers.map(([sku, stock]) => lastKnownOfferEntry(supplier, sku, stock, observedAt)), OBSERVED_AT_FIELD, lastKnownTtlMs),
      ]);
    } catch (error) {
      warn('cache-write', { supplier, ...briefError(error) }, 'offer cache write failed');
    }
  }

  async function degrade(skus: readonly string[], error: RegistryError): Promise<Map<string, OfferResult>> {
    const results = new Map<string, OfferResult>();
    const known = servesLastKnownValue(error) ? await read(skus.map((sku) => lastKnownOfferKey(supplier, sku))) : skus.map(() => null);
    skus.forEach((sku, i) => {
      const last = known[i];
      if (last?.found) results.set(sku, { kind: 'stale', stock: last.stock, error });
      else if (last) results.set(sku, { kind: 'unlisted' });
      else results.set(sku, { kind: 'failed', error });
    });
    return results;
  }

  /** One DataLoader batch as a span (tracing on): its cache reads and the one supplier call are its children. */
  function batch(skus: readonly string[]): Promise<OfferResult[]> {
    return inSpan('dataloader offers', { 'supplier.slug': supplier, 'dataloader.keys': skus.length }, () => batchOnce(skus));
  }

  async function batchOnce(skus: readonly string[]): Promise<OfferResult[]> {
    const cached = ttlMs > 0 ? await read(skus.map((sku) => offerCacheKey(supplier, sku))) : skus.map(() => null);
    const misses = skus.filter((_, i) => cached[i] === null);
    options.onCacheLookup?.('hit', skus.length - misses.length);
    options.onCacheLookup?.('miss', misses.length);
    const fetched = new Map<string, OfferResult>();
    if (misses.length > 0) {
      const ctx: CallContext = { signal: options.signal ?? new AbortController().signal, log, requestId: options.requestId, lane: 'interactive' };
      try {
        await options.beforeSupplierCall?.();
        options.onSupplierCall?.(misses);
        const observed = await observeStock(connector, misses, ctx);
        const answers = new Map(observed.stock.map((s) => [s.supplierSku, s] as const));
        for (const sku of misses) {
          const stock = answers.get(sku);
          fetched.set(sku, stock ? { kind: 'live', stock, cached: false } : { kind: 'unlisted' });
        }
        await remember(misses.map((sku) => [sku, answers.get(sku)] as const), observed.observedAt);
      } catch (caught) {
        let error = toRegistryError(caught, { supplier, operation: 'getStock' });
        // Cut off by the request's budget while waiting (for tokens, a slot, a backoff): the supplier was too slow for
        // the time left, which is a timeout to the client — the last known figures are served, not withheld.
        if (error.code === 'CALL_ABORTED' && ctx.signal.aborted && budgetSpent(ctx.signal)) {
          error = registryError('SUPPLIER_TIMEOUT', `${supplier} getStock did not answer within the request's time budget`, { supplier, operation: 'getStock', details: { budgetSpent: true } });
        } else if (error.code === 'CALL_ABORTED' && !ctx.signal.aborted) {
          // CALL_ABORTED means "the caller gave up", and we did not: the call ended inside the connector for a reason
          // of its own (e.g. a load shared with another caller whose deadline passed). To the client that is a
          // supplier that did not answer: last known figures, named, not an unexplained abort.
          error = registryError('SUPPLIER_UNAVAILABLE', `${supplier} getStock ended without an answer (${error.message})`, { supplier, operation: 'getStock', cause: error });
        }
        // An expected supplier failure: one line with its code and class, no stack trace; repeats are counted, not
        // repeated (a critical one is logged with its cause by the subgraph's error formatter).
        // With what the supplier said (details), clipped and cleaned: the client gets only its name and our code.
        warn(error.code, { ...supplierFailureFields(error), supplier, skus: misses.length }, 'supplier stock read failed');
        for (const [sku, result] of await degrade(misses, error)) fetched.set(sku, result);
      }
    }
    return skus.map((sku, i): OfferResult => {
      const hit = cached[i];
      if (hit) return hit.found ? { kind: 'live', stock: hit.stock, cached: true } : { kind: 'unlisted' };
      return fetched.get(sku)!;
    });
  }

  // DataLoader's own per-request memo keeps one answer per SKU within a request; the cache spans requests.
  return new DataLoader(batch, { maxBatchSize: 1_000 });
}
