/**
 * The supplier's answers read by the sync (poll, stock snapshot, reconciliation, webhook read-back, the orders' stock
 * refresher) kept as each offer's last known value — the key and JSON shape the supplier subgraph's offer loader
 * writes (subgraphs/last-known-offer.ts: `offer-last:<slug>:<supplierSku>`, `{found:true, stock, observedAt}`, or
 * `{found:false, observedAt}` for a SKU the supplier did not list) — so every product the sync has read has a cost to
 * price from, not only products someone viewed (docs/storefront.md "Prices").
 *
 * Ordered by when the supplier was asked (`observedAt`, Cache.setManyIfNewer): an answer never replaces one asked for
 * later, so a poll whose answer lands after a product page's live answer leaves the live one in place.
 *
 * Only the last-known key: the fresh key (`offer:`) means "a live answer younger than OFFER_CACHE_TTL_MS" and makes
 * the supplier subgraph skip its live call; a pass of many batches over minutes cannot promise that for every entry.
 * The stock update path already drops the fresh entry of a row a newer figure changed, and a product page still asks
 * the supplier live.
 *
 * Only what changes a price is announced (`offers.cached`, stack/listing-events.ts; the listing re-prices those
 * products): an offer that is new, stopped or started being listed, or whose cost or MAP moved. The rest is rewritten
 * quietly, only to keep its TTL, so a poll pass over an unchanged catalog re-indexes nothing. Per batch: one cache
 * read and at most two writes (quiet, announced), never one per item.
 */
import type { SupplierStock } from '../../kernel/model.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Cache } from '../../platform/ports/cache.ts';
import { OBSERVED_AT_FIELD, lastKnownOfferEntry } from '../last-known-offer.ts';
import { LAST_KNOWN_OFFER_TTL_MS } from '../offer-cache-key.ts';

export interface OfferRecorder {
  /**
   * One supplier batch, after its figures went through the stock update path: one cache write. `requested`: the
   * supplier SKUs asked for; those without an answer were not listed. `observedAt`: when the supplier was asked
   * (observeStock, subgraphs/last-known-offer.ts); an entry asked for later is kept. Never throws: a cache outage
   * costs prices their freshness, never a poll.
   */
  record(supplier: string, requested: readonly string[], answers: readonly SupplierStock[], observedAt: number): Promise<void>;
}

export interface OfferRecorderOptions {
  /** The offer cache itself: the previous values are read, and unchanged ones rewritten, here. */
  readonly cache: Pick<Cache, 'getMany' | 'setManyIfNewer'>;
  /** The same cache, announcing what is written through it (withOffersCachedEvents): changed offers go here. */
  readonly announcing: Pick<Cache, 'setManyIfNewer'>;
  readonly log: Logger;
  /** @default LAST_KNOWN_OFFER_TTL_MS, the offer loader's */
  readonly ttlMs?: number;
}

/** What of a cached offer a price depends on (listed, cost, MAP), as a comparable string; null when nothing is cached. */
function priceInputs(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const entry = JSON.parse(raw) as { found?: boolean; stock?: { cost?: unknown; map?: unknown } };
    return JSON.stringify([entry.found === true, entry.stock?.cost ?? null, entry.stock?.map ?? null]);
  } catch {
    return 'unreadable';
  }
}

/** Records nothing: a process without a sync cache (tests of the stock path alone). */
export const noOfferRecorder: OfferRecorder = { record: async () => {} };

export function createOfferRecorder(options: OfferRecorderOptions): OfferRecorder {
  const ttlMs = options.ttlMs ?? LAST_KNOWN_OFFER_TTL_MS;
  const log = options.log.child({ component: 'offer-record' });
  return {
    async record(supplier, requested, answers, observedAt) {
      const bySku = new Map(answers.map((s) => [s.supplierSku, s] as const));
      const skus = [...new Set([...requested, ...bySku.keys()])];
      if (skus.length === 0) return;
      const entries = skus.map((sku) => lastKnownOfferEntry(supplier, sku, bySku.get(sku), observedAt));
      try {
        const before = await options.cache.getMany(entries.map(([key]) => key));
        const moved = entries.map(([, value], i) => priceInputs(before[i] ?? null) !== priceInputs(value));
        const changed = entries.filter((_, i) => moved[i]);
        const quiet = entries.filter((_, i) => !moved[i]);
        await Promise.all([
          // Never over an answer asked for later (a live product page's, a newer pass's): those entries are refused.
          quiet.length > 0 ? options.cache.setManyIfNewer(quiet, OBSERVED_AT_FIELD, ttlMs) : undefined,
          changed.length > 0 ? options.announcing.setManyIfNewer(changed, OBSERVED_AT_FIELD, ttlMs) : undefined,
        ]);
      } catch (error) {
        log.warn({ err: error, supplier, offers: entries.length }, 'could not record the supplier\'s answers as last known offers: listing prices catch up at the next pass');
      }
    },
  };
}
